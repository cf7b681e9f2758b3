package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.test.ResilienceTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every meter the sample app publishes under {@code resilience.*} (it uses every kind) has its row in README's
 * Meters table, so a meter cannot ship undocumented.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ResilienceTest
class DocumentedMetersTest {

    @Autowired
    RestTestClient http;

    @Test
    void everyPublishedMeterIsInTheReadme() throws IOException {
        http.get().uri("/api/answer?q=warm-up").exchange().expectStatus().isOk(); // meters made at first use
        String names = http.get().uri("/actuator/metrics").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Set<String> published = new TreeSet<>();
        for (JsonNode name : JsonMapper.builder().build().readTree(names).path("names")) {
            if (name.asString().startsWith("resilience.")) {
                published.add(name.asString());
            }
        }

        assertThat(published).as("meters the sample publishes").hasSizeGreaterThan(15);
        assertThat(meterRows()).as("rows of README's Meters table").containsAll(published);
    }

    /** The names in the first column of the table under README's "## Meters" heading, without backquotes. */
    private static List<String> meterRows() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("\n## Meters");
        assertThat(start).as("README has a Meters section").isPositive();
        List<String> rows = new ArrayList<>();
        for (String line : readme.substring(start + 1).split("\n")) {
            if (line.startsWith("## ") && !rows.isEmpty()) {
                break;
            }
            if (line.startsWith("| `")) { // a row may name several meters: `a`, `b`
                for (String name : line.split("\\|")[1].split(",")) {
                    rows.add(name.trim().replace("`", ""));
                }
            }
        }
        return rows;
    }
}
