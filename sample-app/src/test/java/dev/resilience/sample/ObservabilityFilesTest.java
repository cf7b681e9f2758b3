package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.test.ResilienceTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard and the Prometheus alert rules in {@code observability/} query only metrics the starter
 * publishes: every {@code resilience_*} name in them is in the sample's own {@code /actuator/prometheus} scrape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ResilienceTest
class ObservabilityFilesTest {

    private static final Pattern METRIC = Pattern.compile("\\bresilience_[a-z_]+");
    private static final Path FILES = Path.of("..", "observability");

    @Autowired
    RestTestClient http;

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsPublished() throws IOException {
        http.get().uri("/api/answer?q=warm-up").exchange().expectStatus().isOk(); // meters made at first use
        Set<String> published = published();

        Set<String> dashboard = queried(dashboardExpressions());
        Set<String> alerts = queried(Files.readString(FILES.resolve("prometheus-alerts.yml")));

        assertThat(dashboard).as("metrics the Grafana dashboard queries").isNotEmpty();
        assertThat(alerts).as("metrics the alert rules query").contains("resilience_circuitbreaker_state",
                "resilience_degradation_level", "resilience_retry_budget_exhausted_total", "resilience_probe_up");
        assertThat(published).as("the sample's scrape").containsAll(dashboard).containsAll(alerts);
    }

    /** Every sample's name in the scrape, with its suffixes ({@code _total}, {@code _seconds_count}, ...). */
    private Set<String> published() {
        String scrape = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(line -> line.startsWith("resilience_"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private static String dashboardExpressions() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(FILES.resolve("grafana-dashboard.json").toFile());
        StringBuilder expressions = new StringBuilder();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(target -> expressions.append(target.path("expr").asString()).append('\n'));
        }
        dashboard.path("templating").path("list")
                .forEach(variable -> expressions.append(variable.path("query").asString()).append('\n'));
        return expressions.toString();
    }

    private static Set<String> queried(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }
}
