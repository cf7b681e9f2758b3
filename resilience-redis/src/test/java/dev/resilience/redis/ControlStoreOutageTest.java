package dev.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.testing.RealServices;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A replica's Redis goes away and comes back: calls keep working and nothing written meanwhile is lost. */
class ControlStoreOutageTest {

    @Test
    void callsKeepWorkingWhileRedisIsDownAndTheChangeMadeMeanwhileReachesTheOtherReplicaWhenItReturns()
            throws Exception {
        RealServices.redis(); // the machine has redis-server; this test runs a private one
        try (PrivateRedis redis = new PrivateRedis().start();
                Replica a = Replica.start(redis.port, "fleet", Duration.ofMillis(200), null);
                Replica b = Replica.start(redis.port, "fleet", Duration.ofMillis(200), null)) {
            redis.stop();

            try (Replica c = Replica.start(redis.port, "fleet", Duration.ofMillis(200), null)) {
                assertThat(c.services().inventory()).as("a replica starts without Redis, from its yml")
                        .isEqualTo("stock");
                assertThat(c.store().available()).isFalse();
                whileDown(a, b, c, redis);
            }
        }
    }

    /** Redis is down: A takes a write, every replica keeps working; then Redis returns. */
    private static void whileDown(Replica a, Replica b, Replica c, PrivateRedis redis) throws Exception {
        assertThat(a.post("features/recommendations", "{\"enabled\": false}")).as("the write succeeds locally")
                .isEqualTo(200);
        assertThatThrownBy(() -> a.services().recommendations()).isInstanceOf(FeatureDegradedException.class);
        assertThat(b.services().inventory()).isEqualTo("stock");
        assertThat(b.services().recommendations()).as("B has not seen it yet").isEqualTo("picks");
        assertThat(Replica.eventually(Duration.ofSeconds(10), () -> !a.store().available())).isTrue();
        assertThat(a.context.getBean(MeterRegistry.class).get("resilience.control.store.available").gauge()
                .value()).isZero();

        var arrived = b.arrival("features/recommendations/enabled");
        var arrivedAtC = c.arrival("features/recommendations/enabled");
        redis.start();

        arrived.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> b.services().recommendations()).isInstanceOf(FeatureDegradedException.class);
        arrivedAtC.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> c.services().recommendations()).isInstanceOf(FeatureDegradedException.class);
        assertThat(Replica.eventually(Duration.ofSeconds(10), () -> a.store().available())).isTrue();
    }
}
