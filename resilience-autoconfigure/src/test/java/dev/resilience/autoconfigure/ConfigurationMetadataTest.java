package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.properties.BulkheadSpec;
import dev.resilience.autoconfigure.properties.CircuitBreakerSpec;
import dev.resilience.autoconfigure.properties.LastKnownGoodSpec;
import dev.resilience.autoconfigure.properties.RateLimiterSpec;
import dev.resilience.autoconfigure.properties.RetryBudgetSpec;
import dev.resilience.autoconfigure.properties.RetrySpec;
import dev.resilience.autoconfigure.properties.TimeoutSpec;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.lastknowngood.LastKnownGoodConfig;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryBudgetConfig;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutRegistry;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
                "management.health.degradation.enabled", "management.health.dependencies.enabled")) {
            Map<String, Object> property = list("properties").stream().filter(p -> name.equals(p.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " is missing"));
            assertThat(property).containsEntry("type", "java.lang.Boolean").containsEntry("defaultValue", true);
            assertThat(String.valueOf(property.get("description"))).startsWith("Whether");
        }
    }

    /**
     * The processor cannot look into the specs behind {@code instances.<name>} and {@code configs.<name>}, so every
     * property of every kind is listed, with its description and default, under the one key every kind has.
     */
    @Test
    void everyPropertyOfEveryKindIsListedUnderConfigsDefault() throws Exception {
        Map<String, Map<String, Object>> properties = byName();
        SPECS.forEach((kind, spec) -> {
            for (String property : propertyNames(spec)) {
                String name = "resilience." + kind + ".configs.default." + property;
                assertThat(properties).as(name).containsKey(name);
                assertThat(String.valueOf(properties.get(name).get("description"))).as(name).isNotBlank()
                        .isNotEqualTo("null");
            }
        });
        assertThat(properties.get("resilience.circuitbreaker.configs.default.failure-rate-threshold"))
                .containsEntry("defaultValue", 50);
        assertThat(properties.get("resilience.retry.configs.default.wait-duration"))
                .containsEntry("defaultValue", "500ms");
        assertThat(hintValues("resilience.circuitbreaker.configs.default.sliding-window-type"))
                .containsExactly("count-based", "time-based");
        assertThat(hintValues("resilience.circuitbreaker.configs.default.criticality"))
                .containsExactly("optional", "important", "critical");
    }

    /**
     * Setting every listed default explicitly changes nothing: the metadata and the engine agree. A budget's window
     * and minimum are defaults of a budget, so they are set beside a ratio.
     */
    @Test
    void listedDefaultsAreTheEnginesDefaults() throws Exception {
        List<String> defaults = new ArrayList<>();
        List<String> budgetDefaults = new ArrayList<>(List.of("resilience.retry.configs.default.budget.ratio=0.2"));
        byName().forEach((name, property) -> {
            if (name.contains(".configs.default.") && property.containsKey("defaultValue")) {
                (name.contains(".budget.") ? budgetDefaults : defaults).add(name + "=" + property.get("defaultValue"));
            }
        });
        assertThat(defaults).hasSizeGreaterThan(20);
        assertThat(budgetDefaults).hasSize(3);
        ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
                AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class));
        runner.withPropertyValues(budgetDefaults.toArray(String[]::new)).run(context -> assertThat(context.getBean(
                RetryRegistry.class).get("x").getConfig().budget()).isEqualTo(RetryBudgetConfig.ofRatio(0.2)));
        runner.withPropertyValues(defaults.toArray(String[]::new)).run(context -> {
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("x").getConfig())
                    .isEqualTo(CircuitBreakerConfig.defaults());
            assertThat(context.getBean(RetryRegistry.class).get("x").getConfig()).isEqualTo(RetryConfig.defaults());
            assertThat(context.getBean(BulkheadRegistry.class).get("x").getConfig())
                    .isEqualTo(BulkheadConfig.defaults());
            assertThat(context.getBean(RateLimiterRegistry.class).get("x").getConfig())
                    .isEqualTo(RateLimiterConfig.defaults());
            assertThat(context.getBean(TimeoutRegistry.class).get("x").getConfig())
                    .isEqualTo(TimeoutConfig.defaults());
            assertThat(context.getBean(LastKnownGoodRegistry.class).get("x").getConfig())
                    .isEqualTo(LastKnownGoodConfig.defaults());
        });
    }

    private static final Map<String, Class<?>> SPECS = Map.of("circuitbreaker", CircuitBreakerSpec.class,
            "retry", RetrySpec.class, "bulkhead", BulkheadSpec.class, "ratelimiter", RateLimiterSpec.class,
            "timeout", TimeoutSpec.class, "last-known-good", LastKnownGoodSpec.class);

    /**
     * The README's Properties section lists what the IDE lists: each kind's table has one row per property of the
     * kind (and none of a property that does not exist), and every other property appears with its full name.
     */
    @Test
    void theReadmeListsEveryPropertyAndNoOther() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Map<String, List<String>> rowsByKind = new LinkedHashMap<>();
        for (String kind : SPECS.keySet()) {
            rowsByKind.put(kind, tableRows(readme, "### `resilience." + kind + "`"));
        }
        Map<String, List<String>> documented = new LinkedHashMap<>();
        byName().forEach((name, property) -> {
            String type = String.valueOf(property.get("type"));
            if (type.startsWith("java.util.Map") || name.startsWith("management.endpoint.")) {
                return; // a map of named entries, or Actuator's own settings of every endpoint
            }
            int defaults = name.indexOf(".configs.default.");
            if (defaults > 0) {
                String kind = name.substring("resilience.".length(), defaults);
                documented.computeIfAbsent(kind, k -> new ArrayList<>())
                        .add(name.substring(defaults + ".configs.default.".length()));
            } else {
                assertThat(readme).as("README names " + name).contains("`" + name + "`");
            }
        });
        assertThat(documented.keySet()).as("kinds").containsExactlyInAnyOrderElementsOf(SPECS.keySet());
        documented.forEach((kind, names) -> assertThat(rowsByKind.get(kind))
                .as("rows of README's resilience.%s table", kind).containsExactlyInAnyOrderElementsOf(names));
    }

    /** The first column of the table under {@code heading}, without its backquotes. */
    private static List<String> tableRows(String readme, String heading) {
        int start = readme.indexOf("\n" + heading);
        assertThat(start).as("README has " + heading).isPositive();
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : readme.substring(start + heading.length() + 1).split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                String first = line.split("\\|")[1].trim();
                if (first.startsWith("`")) {
                    rows.add(first.replace("`", ""));
                }
            } else if (inTable || line.startsWith("#")) {
                break;
            }
        }
        return rows;
    }

    /** The kebab-case names of a spec's properties, nested ones dotted; base-config means nothing in a default. */
    private static List<String> propertyNames(Class<?> spec) {
        List<String> names = new ArrayList<>();
        for (Field field : spec.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || field.getName().equals("baseConfig")) {
                continue;
            }
            String name = field.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            if (field.getType() == RetryBudgetSpec.class) {
                propertyNames(RetryBudgetSpec.class).forEach(nested -> names.add(name + "." + nested));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static Map<String, Map<String, Object>> byName() throws Exception {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        list("properties").forEach(property -> byName.put(String.valueOf(property.get("name")), property));
        return byName;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> hintValues(String name) throws Exception {
        Map<String, Object> hint = list("hints").stream().filter(h -> name.equals(h.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no hint for " + name));
        return ((List<Map<String, Object>>) hint.get("values")).stream().map(value -> value.get("value")).toList();
    }
}
