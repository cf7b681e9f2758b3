package dev.resilience.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.Criticality;
import dev.resilience.core.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationModesTest {

    private final FakeTime time = new FakeTime();
    private final DegradationMonitor monitor = new DegradationMonitor(time.timing().clock());
    private final FeatureRegistry features = new FeatureRegistry(name -> FeatureConfig.defaults(), monitor);
    private final OperationModes modes = new OperationModes(List.of(
            new OperationMode("minimal", DegradationLevel.MAJOR, Map.of("recommendations", false, "search", false)),
            new OperationMode("no-search", DegradationLevel.NONE, Map.of("search", false))),
            monitor, features, time.timing());
    private final List<LevelChange> changes = new ArrayList<>();

    OperationModesTest() {
        monitor.addListener(changes::add);
    }

    @Test
    void overrideIsAFloorUnderTheLevelTheDependenciesImply() {
        CircuitBreaker payments = new CircuitBreaker("payments", CircuitBreakerConfig.builder()
                .criticality(Criticality.CRITICAL).build(), time.timing());
        monitor.watch(payments);

        modes.override(DegradationLevel.MINOR, "incident 4711", null);
        assertThat(monitor.level()).isEqualTo(DegradationLevel.MINOR);
        assertThat(monitor.snapshot().setByOperator()).isTrue();
        payments.transitionToForcedOpen();
        assertThat(monitor.level()).as("the higher of the two").isEqualTo(DegradationLevel.CRITICAL);
        assertThat(monitor.snapshot().setByOperator()).isFalse();
        payments.transitionToClosed();
        assertThat(monitor.level()).isEqualTo(DegradationLevel.MINOR);

        modes.clear();

        assertThat(monitor.level()).isEqualTo(DegradationLevel.NONE);
        assertThat(changes).extracting(LevelChange::to).containsExactly(DegradationLevel.MINOR,
                DegradationLevel.CRITICAL, DegradationLevel.MINOR, DegradationLevel.NONE);
        LevelChange first = changes.get(0);
        assertThat(first.setByOperator()).isTrue();
        assertThat(first.computed()).isEqualTo(DegradationLevel.NONE);
        assertThat(first.cause()).isEqualTo(
                "set by the operator's override MINOR: incident 4711; no open breaker or down probe");
        assertThat(changes.get(1).cause()).startsWith("the operator's override MINOR: incident 4711; impaired: [payments]");
    }

    @Test
    void aModeSwitchesItsFeaturesAndItsEndGivesThemBackTheirOwnSwitches() {
        Feature recommendations = features.get("recommendations");
        Feature search = features.get("search");
        Feature checkout = features.get("checkout");

        modes.select("minimal", "black friday", null);

        assertThat(monitor.level()).isEqualTo(DegradationLevel.MAJOR);
        assertThat(recommendations.isAvailable()).isFalse();
        assertThat(search.isAvailable()).isFalse();
        assertThat(checkout.isAvailable()).isTrue();
        assertThatThrownBy(search::checkAvailable).isInstanceOf(FeatureDegradedException.class)
                .hasMessageContaining("switched off by operation mode 'minimal'");
        recommendations.setEnabled(false); // the operator's own switch, set while the mode lasts

        modes.select("no-search", null, null);

        assertThat(monitor.level()).as("no-search sets no floor").isEqualTo(DegradationLevel.NONE);
        assertThat(search.getSwitchingMode()).isEqualTo("no-search");
        assertThat(recommendations.getSwitchingMode()).isNull();
        assertThat(recommendations.isAvailable()).as("its own switch, as set meanwhile").isFalse();
        modes.clear();
        assertThat(search.isAvailable()).isTrue();
        assertThat(modes.current()).isNull();
    }

    @Test
    void anExpiringOverrideEndsByItself() {
        modes.select("minimal", "until the batch is done", Duration.ofMinutes(30));
        assertThat(modes.current().expiresAt()).isEqualTo(time.timing().clock().instant().plus(Duration.ofMinutes(30)));
        List<DegradationOverride> seen = new ArrayList<>();
        modes.addListener(seen::add);

        time.advance(Duration.ofMinutes(29));
        assertThat(monitor.level()).isEqualTo(DegradationLevel.MAJOR);
        time.advance(Duration.ofMinutes(1));

        assertThat(modes.current()).isNull();
        assertThat(monitor.level()).isEqualTo(DegradationLevel.NONE);
        assertThat(features.get("search").isAvailable()).isTrue();
        assertThat(seen).containsExactly((DegradationOverride) null);
    }

    @Test
    void aReplacedOverrideDoesNotExpireTheOneThatFollowed() {
        modes.override(DegradationLevel.MINOR, null, Duration.ofMinutes(5));
        modes.override(DegradationLevel.MAJOR, null, null);

        time.advance(Duration.ofMinutes(10));

        assertThat(monitor.level()).isEqualTo(DegradationLevel.MAJOR);
    }

    @Test
    void anOverrideThatHasExpiredAlreadyClears() {
        modes.override(DegradationLevel.MAJOR, null, null);

        modes.apply(new DegradationOverride(DegradationLevel.CRITICAL, null, "old news",
                time.timing().clock().instant().minusSeconds(1)));

        assertThat(modes.current()).isNull();
        assertThat(monitor.level()).isEqualTo(DegradationLevel.NONE);
    }

    @Test
    void badRequestsChangeNothing() {
        modes.override(DegradationLevel.MINOR, "kept", null);

        assertThatThrownBy(() -> modes.select("maximal", null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no operation mode named 'maximal'").hasMessageContaining("minimal");
        assertThatThrownBy(() -> modes.override(DegradationLevel.NONE, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> modes.override(DegradationLevel.MAJOR, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> modes.override(DegradationLevel.MAJOR, "x".repeat(201), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("200");

        assertThat(modes.current().reason()).isEqualTo("kept");
        assertThat(monitor.level()).isEqualTo(DegradationLevel.MINOR);
    }
}
