package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.FakeTime;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.degradation.LevelChange;
import dev.resilience.degradation.OperationModes;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Operation modes and the operator's override from application.yml: selected at startup, checked at startup. */
@ExtendWith(OutputCaptureExtension.class)
class OperationModesBehaviourTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withUserConfiguration(DegradationBehaviourTest.Beans.class)
            .withPropertyValues("resilience.degradation.modes.minimal.level=major",
                    "resilience.degradation.modes.minimal.features.recommendations.enabled=false",
                    "resilience.degradation.modes.no-enrichment.features.enrichment.enabled=false");

    @Test
    void aModeSelectedInPropertiesAppliesFromStartup(CapturedOutput output) {
        runner.withPropertyValues("resilience.degradation.mode=minimal").run(context -> {
            assertThat(context).hasNotFailed();
            DegradationMonitor.Snapshot degradation = context.getBean(DegradationMonitor.class).snapshot();
            assertThat(degradation.level()).isEqualTo(DegradationLevel.MAJOR);
            assertThat(degradation.setByOperator()).isTrue();
            assertThat(degradation.override().mode()).isEqualTo("minimal");
            assertThat(context.getBean(DegradationBehaviourTest.Shop.class).recommendations())
                    .as("switched off by the mode: the fallback answers").containsExactly("bestsellers");
            assertThat(context.getBean(DegradationBehaviourTest.LevelChanges.class).received())
                    .extracting(LevelChange::to).containsExactly(DegradationLevel.MAJOR);
            assertThat(context.getBean(RecentEvents.class).list()).anySatisfy(event -> {
                assertThat(event.kind()).isEqualTo("degradation");
                assertThat(event.detail()).startsWith("mode 'minimal' (MAJOR): selected at startup");
            });
            assertThat(output).contains("Degradation level NONE -> MAJOR (set by the operator's mode 'minimal' "
                    + "(MAJOR): selected at startup (resilience.degradation.mode); no open breaker or down probe)");
        });
    }

    @Test
    void anOverrideInPropertiesIsAFloorFromStartup() {
        runner.withPropertyValues("resilience.degradation.override=minor").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(DegradationMonitor.class).level()).isEqualTo(DegradationLevel.MINOR);
            assertThat(context.getBean(OperationModes.class).current().mode()).isNull();
        });
    }

    @Test
    void withNothingSelectedTheLevelIsTheDependencies() {
        runner.run(context -> {
            assertThat(context.getBean(DegradationMonitor.class).level()).isEqualTo(DegradationLevel.NONE);
            assertThat(context.getBean(OperationModes.class).modes()).containsOnlyKeys("minimal", "no-enrichment");
        });
    }

    @Test
    void anExpiringModeSelectedAtRuntimeEndsByItself() {
        runner.run(context -> {
            OperationModes modes = context.getBean(OperationModes.class);
            modes.select("no-enrichment", "batch import", Duration.ofMinutes(10));
            assertThat(context.getBean(FeatureRegistry.class).get("enrichment").isAvailable()).isFalse();

            time.advance(Duration.ofMinutes(10));

            assertThat(modes.current()).isNull();
            assertThat(context.getBean(FeatureRegistry.class).get("enrichment").isAvailable()).isTrue();
        });
    }

    @Test
    void anUnknownStartupModeStopsStartupNamingIt() {
        runner.withPropertyValues("resilience.degradation.mode=maximal").run(context ->
                assertThat(cause(context)).hasMessageContaining("resilience.degradation.mode")
                        .hasMessageContaining("maximal").hasMessageContaining("[minimal, no-enrichment]"));
    }

    @Test
    void aModeAndAnOverrideTogetherStopStartup() {
        runner.withPropertyValues("resilience.degradation.mode=minimal", "resilience.degradation.override=major")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("resilience.degradation.override").hasMessageContaining("not both"));
    }

    @Test
    void aBadLevelStopsStartupNamingIt() {
        runner.withPropertyValues("resilience.degradation.modes.minimal.level=severe").run(context ->
                assertThat(cause(context))
                        .hasMessageContaining("resilience.degradation.modes.minimal.level")
                        .hasMessageContaining("severe").hasMessageContaining("[none, minor, major, critical]"));
    }

    @Test
    void aModeSwitchingAFeatureNobodyHasStopsStartup() {
        runner.withPropertyValues("resilience.degradation.modes.minimal.features.recomendations.enabled=false")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("resilience.degradation.modes.minimal.features.recomendations")
                        .hasMessageContaining("recommendations"));
    }

    @Test
    void anUnknownKeyUnderAModeStopsStartup() {
        runner.withPropertyValues("resilience.degradation.modes.minimal.levle=major").run(context ->
                assertThat(cause(context))
                        .hasMessageContaining("resilience.degradation.modes.minimal.levle")
                        .hasMessageContaining("level"));
    }

    /** The most specific cause of the startup failure: what the user reads first. */
    private static Throwable cause(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        return org.springframework.core.NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
    }
}
