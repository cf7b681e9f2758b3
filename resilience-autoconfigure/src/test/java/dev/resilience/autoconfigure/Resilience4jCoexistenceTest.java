package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.health.CircuitBreakersHealthContributor;
import dev.resilience.autoconfigure.health.ResilienceHealthAutoConfiguration;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot.circuitbreaker.monitoring.health.CircuitBreakersHealthIndicator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * During a migration an application has both this starter and Resilience4j's: it starts, and each library guards
 * the beans annotated with its own annotations.
 */
class Resilience4jCoexistenceTest {

    @Test
    void startsBesideResilience4jAndEachLibraryGuardsItsOwnBeans() {
        try (ConfigurableApplicationContext context = application().run()) {
            Legacy legacy = context.getBean(Legacy.class);
            Modern modern = context.getBean(Modern.class);

            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(legacy::call).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(modern::call).isInstanceOf(IllegalStateException.class);
            }

            assertThatThrownBy(legacy::call).isInstanceOf(CallNotPermittedException.class);
            assertThatThrownBy(modern::call).isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(legacy.calls()).as("the open breaker kept the third call out").isEqualTo(2);
            assertThat(modern.calls()).isEqualTo(2);
            assertThat(context.getBean(CircuitBreakerRegistry.class).getAllCircuitBreakers())
                    .extracting(io.github.resilience4j.circuitbreaker.CircuitBreaker::getName)
                    .containsExactly("legacy");
            assertThat(context.getBean(ResilienceRegistries.class).circuitBreakers().all())
                    .extracting(CircuitBreaker::getName).containsExactly("modern");
        }
    }

    @Test
    void breakerHealthIsOursUnderCircuitBreakersWhileResilience4jsIsOff() {
        try (ConfigurableApplicationContext context = application().run()) {
            HealthContributorRegistry health = context.getBean(HealthContributorRegistry.class);

            assertThat(health.getContributor("circuitBreakers")).isInstanceOf(CircuitBreakersHealthContributor.class);
        }
    }

    @Test
    void bothLibrariesReportBreakerHealthWhenResilience4jsIsSwitchedOn() {
        try (ConfigurableApplicationContext context = application("management.health.circuitbreakers.enabled=true")
                .run()) {
            HealthContributorRegistry health = context.getBean(HealthContributorRegistry.class);

            assertThat(health.getContributor("circuitBreakers")).isInstanceOf(CircuitBreakersHealthIndicator.class);
            assertThat(health.getContributor("resilienceCircuitBreakers"))
                    .isInstanceOf(CircuitBreakersHealthContributor.class);
        }
    }

    @Test
    void everyBeanOfTheStarterHasANameOfItsOwn() {
        WebApplicationContextRunner boot = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, EndpointAutoConfiguration.class,
                        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=resilience",
                        "resilience.chaos.enabled=true");
        Set<String> boots = new HashSet<>();
        boot.run(context -> boots.addAll(List.of(context.getBeanDefinitionNames())));

        boot.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                ResilienceHealthAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class,
                ResilienceEndpointAutoConfiguration.class)).run(context -> {
                    assertThat(context).hasNotFailed();
                    Set<String> ours = Stream.of(context.getBeanDefinitionNames())
                            .filter(name -> !boots.contains(name))
                            .filter(name -> !name.startsWith("dev.resilience.autoconfigure."))
                            .collect(Collectors.toSet());

                    assertThat(ours).contains("resilienceCircuitBreakerRegistry", "resilienceEndpoint")
                            .allSatisfy(name -> assertThat(name.startsWith("resilience")
                                    || HEALTH_COMPONENTS.contains(name)).as(name).isTrue());
                });
    }

    /** Their names are the contract's health component names ({@code circuitBreakers}, {@code degradation}). */
    private static final Set<String> HEALTH_COMPONENTS = Set.of("circuitBreakersHealthContributor",
            "degradationHealthIndicator");

    private static SpringApplicationBuilder application(String... properties) {
        return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
                .properties("resilience4j.circuitbreaker.instances.legacy.sliding-window-size=2",
                        "resilience4j.circuitbreaker.instances.legacy.minimum-number-of-calls=2",
                        "resilience.circuitbreaker.instances.modern.sliding-window-size=2",
                        "resilience.circuitbreaker.instances.modern.minimum-number-of-calls=2",
                        "spring.main.banner-mode=off")
                .properties(properties);
    }

    /** Every auto-configuration on the class path, both libraries' included; no component scanning. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
        @Bean
        Legacy legacy() {
            return new Legacy();
        }

        @Bean
        Modern modern() {
            return new Modern();
        }
    }

    /** Guarded by Resilience4j. */
    public static class Legacy {
        private int calls;

        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "legacy")
        public String call() {
            calls++;
            throw new IllegalStateException("legacy down");
        }

        public int calls() {
            return calls;
        }
    }

    /** Guarded by this starter. */
    public static class Modern {
        private int calls;

        @dev.resilience.annotation.CircuitBreaker("modern")
        public String call() {
            calls++;
            throw new IllegalStateException("modern down");
        }

        public int calls() {
            return calls;
        }
    }
}
