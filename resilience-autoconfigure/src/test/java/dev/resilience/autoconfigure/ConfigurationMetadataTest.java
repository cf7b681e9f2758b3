package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

/** What the IDE reads: the configuration metadata the build generates from the properties classes. */
class ConfigurationMetadataTest {

    private static Map<String, Object> metadata() throws Exception {
        try (InputStream json = ConfigurationMetadataTest.class
                .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(json).as("metadata on the class path").isNotNull();
            return JsonParserFactory.getJsonParser().parseMap(new String(json.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String key) throws Exception {
        return (List<Map<String, Object>>) metadata().getOrDefault(key, List.of());
    }

    @Test
    void descriptionsAreFreeOfJavadocMarkup() throws Exception {
        assertThat(list("properties")).isNotEmpty().allSatisfy(property -> assertThat(
                String.valueOf(property.get("description"))).as(String.valueOf(property.get("name")))
                .doesNotContain("{@"));
        assertThat(list("groups")).allSatisfy(group -> assertThat(String.valueOf(group.get("description")))
                .as(String.valueOf(group.get("name"))).doesNotContain("{@"));
    }

    @Test
    void enumLikeValuesHaveHints() throws Exception {
        assertThat(hintValues("resilience.circuitbreaker.instances.values.sliding-window-type"))
                .containsExactly("count-based", "time-based");
        assertThat(hintValues("resilience.circuitbreaker.configs.values.sliding-window-type"))
                .containsExactly("count-based", "time-based");
        assertThat(hintValues("resilience.circuitbreaker.instances.values.criticality"))
                .containsExactly("optional", "important", "critical");
        assertThat(hintValues("resilience.circuitbreaker.configs.values.criticality"))
                .containsExactly("optional", "important", "critical");
        assertThat(hintValues("resilience.probes.values.criticality"))
                .containsExactly("optional", "important", "critical");
        assertThat(hintValues("resilience.degradation.features.values.disable-at"))
                .containsExactly("minor", "major", "critical", "never");
    }

    @Test
    void healthSwitchesAreListedAsBooleansOnByDefault() throws Exception {
        for (String name : List.of("management.health.circuitbreakers.enabled",
                "management.health.degradation.enabled")) {
            Map<String, Object> property = list("properties").stream().filter(p -> name.equals(p.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " is missing"));
            assertThat(property).containsEntry("type", "java.lang.Boolean").containsEntry("defaultValue", true);
            assertThat(String.valueOf(property.get("description"))).startsWith("Whether");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> hintValues(String name) throws Exception {
        Map<String, Object> hint = list("hints").stream().filter(h -> name.equals(h.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no hint for " + name));
        return ((List<Map<String, Object>>) hint.get("values")).stream().map(value -> value.get("value")).toList();
    }
}
