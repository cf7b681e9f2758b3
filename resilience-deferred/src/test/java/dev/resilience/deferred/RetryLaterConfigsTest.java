package dev.resilience.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.autoconfigure.properties.ResilienceBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/** {@code resilience.retry-later.configs} and {@code base-config}, and a Spring Cloud refresh of the section. */
class RetryLaterConfigsTest {

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(DeferredTestApplication.class).web(WebApplicationType.NONE)
                .properties("spring.datasource.url=jdbc:h2:mem:configs" + System.nanoTime(),
                        "resilience.retry-later.replay=false")
                .properties(properties).run();
    }

    @Test
    void anInstanceTakesWhatItLeavesUnsetFromItsBaseConfigAndElseFromConfigsDefault() {
        try (ConfigurableApplicationContext context = start(
                "resilience.retry-later.configs.default.max-attempts=5",
                "resilience.retry-later.configs.patient.max-age=30d",
                "resilience.retry-later.configs.patient.backoff=5m",
                "resilience.retry-later.instances.mail.base-config=patient",
                "resilience.retry-later.instances.mail.backoff=2m")) {
            DeferredCalls calls = context.getBean(DeferredCalls.class);

            RetryLaterPolicy mail = calls.policy("mail");
            assertThat(mail.backoff()).isEqualTo(Duration.ofMinutes(2));
            assertThat(mail.maxAge()).isEqualTo(Duration.ofDays(30));
            assertThat(mail.maxAttempts()).isEqualTo(10); // patient sets none, and default is not its base
            RetryLaterPolicy other = calls.policy("urgent");
            assertThat(other.maxAttempts()).isEqualTo(5);
            assertThat(other.backoff()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void anUnknownBaseConfigOrABadValueInAConfigStopsStartupNamingItsPath() {
        assertThat(message(() -> start("resilience.retry-later.instances.mail.base-config=nope")))
                .contains("resilience.retry-later.instances.mail.base-config").contains("nope");
        assertThat(message(() -> start("resilience.retry-later.configs.slow.multiplier=0.5")))
                .contains("resilience.retry-later.configs.slow.multiplier").contains("at least 1.0");
        assertThat(message(() -> start("resilience.retry-later.configs.default.max-attempts=0",
                "resilience.retry-later.instances.mail.backoff=1m")))
                .contains("resilience.retry-later.configs.default.max-attempts");
    }

    @Test
    void aRefreshAppliesNewInstanceSettingsAndABadOneChangesNothing() {
        try (ConfigurableApplicationContext context = start("resilience.retry-later.instances.mail.max-attempts=3")) {
            DeferredCalls calls = context.getBean(DeferredCalls.class);
            MapPropertySource changed = new MapPropertySource("changed",
                    Map.of("resilience.retry-later.instances.mail.max-attempts", "7"));
            context.getEnvironment().getPropertySources().addFirst(changed);

            context.publishEvent(new EnvironmentChangeEvent(context,
                    Set.of("resilience.retry-later.instances.mail.max-attempts")));
            assertThat(calls.policy("mail").maxAttempts()).isEqualTo(7);

            context.getEnvironment().getPropertySources().replace("changed", new MapPropertySource("changed",
                    Map.of("resilience.retry-later.instances.mail.max-attempts", "0")));
            context.publishEvent(new EnvironmentChangeEvent(context,
                    Set.of("resilience.retry-later.instances.mail.max-attempts")));
            assertThat(calls.policy("mail").maxAttempts()).isEqualTo(7);
        }
    }

    @Test
    void theSampleAppsRetryLaterSectionBindsStrictlyAndValidates() throws Exception {
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("sample",
                new FileSystemResource("../sample-app/src/main/resources/application.yml"));
        Binder binder = new Binder(ConfigurationPropertySources.from(yaml));
        ResilienceBinding.bind(binder); // every other resilience.* key, strictly, with this module's section known

        RetryLaterProperties properties = ResilienceBinding.bindSection(binder, "retry-later",
                RetryLaterProperties.class);
        properties.validate();
        assertThat(properties.policy("notifications").maxBackoff()).isEqualTo(Duration.ofSeconds(15));
    }

    private static String message(Runnable startup) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = catchThrowable(startup::run); cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
