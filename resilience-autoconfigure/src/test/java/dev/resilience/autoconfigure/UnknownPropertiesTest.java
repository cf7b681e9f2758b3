package dev.resilience.autoconfigure;

import static dev.resilience.autoconfigure.ResilienceAutoConfigurationTest.messages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.properties.ResilienceBinding;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.retry.RetryRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/** An unknown key under resilience.* stops startup with its full path, its value and the nearest known key. */
class UnknownPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class));

    @Test
    void misspeltPropertyStopsStartupNamingTheNearestKnownOne() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.x.failure-rate-treshold=30")
                .run(context -> assertUnknown(context, "resilience.circuitbreaker.instances.x.failure-rate-treshold",
                        "30", "resilience.circuitbreaker.instances.x.failure-rate-threshold"));
        runner.withPropertyValues("resilience.retry.configs.default.max-atempts=5")
                .run(context -> assertUnknown(context, "resilience.retry.configs.default.max-atempts", "5",
                        "resilience.retry.configs.default.max-attempts"));
        runner.withPropertyValues("resilience.retry.instances.x.budget.ration=0.2")
                .run(context -> assertUnknown(context, "resilience.retry.instances.x.budget.ration", "0.2",
                        "resilience.retry.instances.x.budget.ratio"));
        runner.withPropertyValues("resilience.chaos.instances.x.latency-rte=0.5")
                .run(context -> assertUnknown(context, "resilience.chaos.instances.x.latency-rte", "0.5",
                        "resilience.chaos.instances.x.latency-rate"));
        runner.withPropertyValues("resilience.degradation.features.x.disabled-at=minor")
                .run(context -> assertUnknown(context, "resilience.degradation.features.x.disabled-at", "minor",
                        "resilience.degradation.features.x.disable-at"));
        runner.withPropertyValues("resilience.probes.db.intervall=5s")
                .run(context -> assertUnknown(context, "resilience.probes.db.intervall", "5s",
                        "resilience.probes.db.interval"));
        runner.withPropertyValues("resilience.events.buffer-sise=10")
                .run(context -> assertUnknown(context, "resilience.events.buffer-sise", "10",
                        "resilience.events.buffer-size"));
    }

    @Test
    void misspeltPropertyStopsStartupWhenTheUserDefinesTheConfigurations() {
        runner.withBean(ResilienceConfigurations.class, () -> ResilienceConfigurations.from(
                new dev.resilience.autoconfigure.properties.ResilienceProperties(), getClass().getClassLoader(),
                name -> null))
                .withPropertyValues("resilience.circuitbreaker.instances.x.failure-rate-treshold=30")
                .run(context -> assertUnknown(context, "resilience.circuitbreaker.instances.x.failure-rate-treshold",
                        "30", "resilience.circuitbreaker.instances.x.failure-rate-threshold"));
    }

    @Test
    void resilience4jOnlyKeyStopsStartupSayingWhatToWriteInstead() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.x.register-health-indicator=true")
                .run(context -> assertUnknownListingTheKnown(context,
                        "resilience.circuitbreaker.instances.x.register-health-indicator", "true",
                        "is not a property of resilience.circuitbreaker.instances.x; known: [",
                        "(a Resilience4j key: every breaker is in /actuator/health here"));
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.event-consumer-buffer-size=10")
                .run(context -> assertUnknownListingTheKnown(context,
                        "resilience.circuitbreaker.configs.default.event-consumer-buffer-size", "10",
                        "sliding-window-size", "resilience.events.buffer-size"));
        runner.withPropertyValues("resilience.retry.instances.x.enable-exponential-backoff=true")
                .run(context -> assertUnknownListingTheKnown(context,
                        "resilience.retry.instances.x.enable-exponential-backoff", "true", "use backoff-multiplier"));
    }

    @Test
    void everyUnknownKeyIsNamed() {
        runner.withPropertyValues("resilience.retry.instances.x.max-atempts=2",
                "resilience.retry.instances.x.wait-duratoin=1s")
                .run(context -> assertThat(messages(context.getStartupFailure()))
                        .contains("resilience.retry.instances.x.max-atempts")
                        .contains("also unknown: [resilience.retry.instances.x.wait-duratoin]"));
    }

    @Test
    void kindThatDoesNotExistStopsStartup() {
        runner.withPropertyValues("resilience.circuitbraker.instances.x.failure-rate-threshold=30")
                .run(context -> assertUnknown(context, "resilience.circuitbraker.instances.x.failure-rate-threshold",
                        "30", "resilience.circuitbreaker.instances.x.failure-rate-threshold"));
        runner.withPropertyValues("resilience.retries.instances.x.max-attempts=2")
                .run(context -> assertUnknown(context, "resilience.retries.instances.x.max-attempts", "2",
                        "resilience.retry.instances.x.max-attempts"));
    }

    @Test
    void valueWhereAnObjectBelongsOrObjectWhereAValueBelongsStopsStartup() {
        runner.withPropertyValues("resilience.retry.instances.x.max-attempts.value=2").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("resilience.retry.instances.x.max-attempts.value").contains("takes one value");
        });
    }

    @Test
    void fractionForWholeNumberStopsStartup() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                new MapPropertySource("typed", Map.of(
                        "resilience.retry.instances.x.max-attempts", 2.5))))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("resilience.retry.instances.x.max-attempts").contains("'2.5'")
                            .contains("must be a whole number");
                });
    }

    @Test
    void everyDocumentedPropertyStillStarts() {
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.sliding-window-type=time-based",
                "resilience.circuitbreaker.configs.default.sliding-window-size=10",
                "resilience.circuitbreaker.configs.shared.minimum-number-of-calls=5",
                "resilience.circuitbreaker.instances.x.base-config=shared",
                "resilience.circuitbreaker.instances.x.failure-rate-threshold=30",
                "resilience.circuitbreaker.instances.x.slow-call-duration-threshold=2s",
                "resilience.circuitbreaker.instances.x.slow-call-rate-threshold=80",
                "resilience.circuitbreaker.instances.x.wait-duration-in-open-state=10s",
                "resilience.circuitbreaker.instances.x.permitted-number-of-calls-in-half-open-state=3",
                "resilience.circuitbreaker.instances.x.max-wait-duration-in-half-open-state=5s",
                "resilience.circuitbreaker.instances.x.record-exceptions[0]=java.io.IOException",
                "resilience.circuitbreaker.instances.x.ignore-exceptions=java.lang.IllegalStateException",
                "resilience.circuitbreaker.instances.x.criticality=critical",
                "resilience.retry.instances.x.max-attempts=4", "resilience.retry.instances.x.wait-duration=100ms",
                "resilience.retry.instances.x.backoff-multiplier=2", "resilience.retry.instances.x.max-wait-duration=1s",
                "resilience.retry.instances.x.jitter=0.2", "resilience.retry.instances.x.max-duration=5s",
                "resilience.retry.instances.x.retry-exceptions=java.io.IOException",
                "resilience.retry.instances.x.ignore-exceptions=java.lang.IllegalStateException",
                "resilience.retry.instances.x.budget.ratio=0.2", "resilience.retry.instances.x.budget.window=30s",
                "resilience.retry.instances.x.budget.min-retries-per-second=5",
                "resilience.bulkhead.instances.x.max-concurrent-calls=5",
                "resilience.bulkhead.instances.x.max-wait-duration=10ms",
                "resilience.ratelimiter.instances.x.limit-for-period=5",
                "resilience.ratelimiter.instances.x.limit-refresh-period=1s",
                "resilience.ratelimiter.instances.x.timeout-duration=0",
                "resilience.timeout.instances.x.timeout-duration=2s",
                "resilience.timeout.instances.x.cancel-running-future=false",
                "resilience.chaos.enabled=true", "resilience.chaos.seed=42",
                "resilience.chaos.instances.x.failure-rate=0.1",
                "resilience.chaos.instances.x.exception=java.io.IOException",
                "resilience.chaos.instances.x.latency=10ms", "resilience.chaos.instances.x.latency-rate=0.1",
                "resilience.degradation.features.x.enabled=false",
                "resilience.degradation.features.x.disable-at=minor",
                "resilience.events.buffer-size=50").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(CircuitBreakerRegistry.class).get("x").getConfig()
                            .failureRateThreshold()).isEqualTo(30f);
                    assertThat(context.getBean(RetryRegistry.class).get("x").getConfig().maxAttempts()).isEqualTo(4);
                });
    }

    @Test
    void variablesOfTheOperatingSystemEnvironmentAreNotTakenForMisspeltProperties() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("RESILIENCE_HOME", "/opt/resilience",
                                "RESILIENCE_RETRY_INSTANCES_X_MAXATTEMPTS", "4")))).run(context -> {
                                    assertThat(context).hasNotFailed();
                                    assertThat(context.getBean(RetryRegistry.class).get("x").getConfig()
                                            .maxAttempts()).as("still bound").isEqualTo(4);
                                });
    }

    @Test
    void sampleAppConfigurationBindsStrictly() throws IOException {
        // The sample app's own tests start it; here its resilience.* keys go through the strict binding alone.
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("sample",
                new FileSystemResource("../sample-app/src/main/resources/application.yml"));
        // resilience.retry-later belongs to resilience-deferred, which binds it strictly in its own tests.
        ConfigurationPropertyName deferred = ConfigurationPropertyName.of("resilience.retry-later");
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.from(yaml).forEach(source -> sources.add(source.filter(
                name -> !deferred.isAncestorOf(name))));
        Binder binder = new Binder(sources);
        assertThat(ResilienceBinding.bind(binder).getCircuitbreaker().getInstances()).containsKey("inventory");
    }

    /** A key far from any known one: no guess, but the properties that can sit there. */
    private static void assertUnknownListingTheKnown(AssertableApplicationContext context, String path, String value,
            String... reason) {
        assertThat(context).hasFailed();
        assertThat(messages(context.getStartupFailure())).contains("Property " + path + " with value '" + value + "'")
                .contains("is not a property").doesNotContain("nearest known one").contains(reason);
    }

    private static void assertUnknown(AssertableApplicationContext context, String path, String value,
            String nearest) {
        assertThat(context).hasFailed();
        assertThat(messages(context.getStartupFailure())).contains("Property " + path + " with value '" + value + "'")
                .contains("is not a property").contains("nearest known one is '" + nearest);
    }
}
