package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.annotation.Degradable;
import dev.resilience.annotation.Fallback;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.degradation.LevelChange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

@ExtendWith(OutputCaptureExtension.class)
class DegradationBehaviourTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withUserConfiguration(Beans.class)
            .withPropertyValues("resilience.degradation.features.recommendations.disable-at=major",
                    "resilience.degradation.features.enrichment.enabled=false",
                    "resilience.circuitbreaker.instances.search.criticality=important",
                    "resilience.circuitbreaker.instances.ads.criticality=optional");

    @Test
    void featureIsShedWhenTheLevelReachesItsDisableAtAndTheFallbackAnswers() {
        runner.run(context -> {
            Shop shop = context.getBean(Shop.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            assertThat(shop.recommendations()).containsExactly("personal");

            breakers.get("ads").transitionToForcedOpen();
            assertThat(shop.recommendations()).as("MINOR is below major").containsExactly("personal");
            breakers.get("search").transitionToForcedOpen();

            assertThat(shop.recommendations()).containsExactly("bestsellers");
            breakers.get("search").transitionToClosed();
            assertThat(shop.recommendations()).containsExactly("personal");
        });
    }

    @Test
    void switchedOffFeatureIsSkippedWithFeatureDegradedException() {
        runner.run(context -> {
            Shop shop = context.getBean(Shop.class);

            assertThatThrownBy(shop::enrich).isInstanceOf(FeatureDegradedException.class)
                    .hasMessageContaining("switched off");
            assertThat(shop.enrichCalls()).isZero();

            context.getBean(FeatureRegistry.class).get("enrichment").setEnabled(true);
            assertThat(shop.enrich()).isEqualTo("enriched");
        });
    }

    @Test
    void asynchronousFeatureIsShedThroughTheStage() {
        runner.run(context -> {
            context.getBean(FeatureRegistry.class).get("async-enrichment").setEnabled(false);

            CompletableFuture<String> result = context.getBean(Shop.class).enrichAsync();

            assertThat(result).isCompletedExceptionally();
            assertThatThrownBy(result::join).hasCauseInstanceOf(FeatureDegradedException.class);
        });
    }

    @Test
    void levelChangesArePublishedLoggedAndRecorded(CapturedOutput output) {
        runner.run(context -> {
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            breakers.get("search").transitionToForcedOpen();
            breakers.get("search").transitionToClosed();

            assertThat(context.getBean(DegradationMonitor.class).level()).isEqualTo(DegradationLevel.NONE);
            assertThat(context.getBean(LevelChanges.class).received()).extracting(LevelChange::to)
                    .containsExactly(DegradationLevel.MAJOR, DegradationLevel.NONE);
            assertThat(logLine(output, "Circuit breaker 'search' CLOSED -> FORCED_OPEN")).contains(" WARN ");
            assertThat(logLine(output, "Degradation level NONE -> MAJOR (impaired: [search])")).contains(" WARN ");
            assertThat(logLine(output, "Degradation level MAJOR -> NONE")).contains(" INFO ");
            assertThat(context.getBean(RecentEvents.class).list()).extracting(RecentEvents.Event::type)
                    .containsExactly("STATE_TRANSITION", "LEVEL_CHANGED", "STATE_TRANSITION", "LEVEL_CHANGED");
        });
    }

    @Test
    void badDisableAtStopsStartup() {
        runner.withPropertyValues("resilience.degradation.features.recommendations.disable-at=sometimes")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                            .contains("resilience.degradation.features.recommendations.disable-at")
                            .contains("'sometimes'").contains("[minor, major, critical, never]");
                });
    }

    /** The one line of {@code output} that holds {@code message} (its key-value pairs may come before it). */
    private static String logLine(CapturedOutput output, String message) {
        List<String> lines = output.getOut().lines().filter(line -> line.contains(message)).toList();
        assertThat(lines).as("lines with '" + message + "'").hasSize(1);
        assertThat(lines.get(0)).contains("dev.resilience.autoconfigure.ResilienceEventLogger");
        return lines.get(0);
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Shop shop() {
            return new Shop();
        }

        @Bean
        LevelChanges levelChanges() {
            return new LevelChanges();
        }
    }

    static class Shop {
        private int enrichCalls;

        @Degradable("recommendations")
        @Fallback("bestsellers")
        public List<String> recommendations() {
            return List.of("personal");
        }

        List<String> bestsellers(FeatureDegradedException shed) {
            return List.of("bestsellers");
        }

        @Degradable("enrichment")
        public String enrich() {
            enrichCalls++;
            return "enriched";
        }

        public int enrichCalls() {
            return enrichCalls;
        }

        @Degradable("async-enrichment")
        public CompletableFuture<String> enrichAsync() {
            return CompletableFuture.completedFuture("enriched");
        }
    }

    static class LevelChanges {
        private final List<LevelChange> received = new CopyOnWriteArrayList<>();

        public List<LevelChange> received() {
            return received;
        }

        @EventListener
        void on(LevelChange change) {
            received.add(change);
        }
    }
}
