package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.annotation.LastKnownGood;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointWriteHandler;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code resilience.lastknowngood.calls} meter and the endpoint's {@code lastknowngood} entries. */
class LastKnownGoodOperationsTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceMetricsAutoConfiguration.class, ResilienceEndpointAutoConfiguration.class,
                    EndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Prices.class, Prices::new)
            .withPropertyValues("management.endpoints.web.exposure.include=resilience",
                    "resilience.last-known-good.instances.prices.max-staleness=5m",
                    "resilience.last-known-good.instances.configured.cache-name=shared",
                    "resilience.last-known-good.instances.unused.max-staleness=1m");

    private static double calls(MeterRegistry meters, String name, String kind) {
        return meters.get("resilience.lastknowngood.calls").tag("name", name).tag("kind", kind).functionCounter()
                .count();
    }

    @Test
    void countsEachOutcomeFromStartup() {
        runner.run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            for (String kind : new String[] {"stored", "served", "miss", "too_old"}) {
                assertThat(calls(meters, "unused", kind)).as("configured, used by no method: " + kind).isZero();
            }
        });
    }

    @Test
    void countsStoredServedMissedAndTooOld() {
        runner.run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");
            prices.failing().set(true);
            prices.price("apple");
            tryPrice(prices, "pear");
            time.advance(Duration.ofMinutes(5));
            tryPrice(prices, "apple");

            assertThat(calls(meters, "prices", "stored")).isEqualTo(1);
            assertThat(calls(meters, "prices", "served")).isEqualTo(1);
            assertThat(calls(meters, "prices", "miss")).isEqualTo(1);
            assertThat(calls(meters, "prices", "too_old")).isEqualTo(1);
        });
    }

    @Test
    void endpointShowsEachInstanceWithItsFiguresAndConfig() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");
            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);

            @SuppressWarnings("unchecked")
            Map<String, Object> all = (Map<String, Object>) endpoint.overview().get("lastKnownGood");
            assertThat(all).containsOnlyKeys("configured", "prices", "unused");
            Object prices5m = endpoint.instance("lastknowngood", "prices").getBody();
            assertThat(prices5m.toString()).contains("name=prices", "storedCalls=1", "servedCalls=0",
                    "max-staleness=PT5M", "before-fallback=false", "apply-on=[java.lang.Exception]");
            assertThat(endpoint.instance("lastknowngood", "configured").getBody().toString())
                    .contains("cache-name=shared");
            assertThat(endpoint.instance("lastknowngood", "nobody").getStatus()).isEqualTo(404);
        });
    }

    @Test
    void timesTheAgeOfEachServedAnswer() {
        runner.run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");
            prices.failing().set(true);
            time.advance(Duration.ofMinutes(1));
            prices.price("apple");
            time.advance(Duration.ofMinutes(2));
            prices.price("apple");

            Timer age = meters.get("resilience.lastknowngood.age").tag("name", "prices").timer();
            assertThat(age.count()).isEqualTo(2);
            assertThat(age.totalTime(TimeUnit.MINUTES)).isEqualTo(4.0);
            assertThat(age.max(TimeUnit.MINUTES)).isEqualTo(3.0);
        });
    }

    @Test
    void aConfigWriteChangesMaxStalenessAndABadOneChangesNothing() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            ResilienceEndpoint endpoint = context.getBean(ResilienceEndpoint.class);
            prices.price("apple");
            prices.failing().set(true);
            time.advance(Duration.ofMinutes(2));

            assertThat(endpoint.change("lastknowngood", "prices", null, Map.of("max-staleness", "0s"), null)
                    .getStatus()).isEqualTo(400);
            assertThat(endpoint.change("lastknowngood", "prices", null, Map.of("max-staleness", "1m",
                    "cache-name", "elsewhere"), null).getStatus()).as("the cache is fixed at startup").isEqualTo(400);
            assertThat(endpoint.change("lastknowngood", "prices", null, Map.of("max-stalenes", "1m"), null)
                    .getStatus()).isEqualTo(400);
            assertThat(prices.price("apple")).as("still 5m: nothing changed").isEqualTo("apple: 5");

            assertThat(endpoint.change("lastknowngood", "prices", null, Map.of("max-staleness", "1m"), null)
                    .getStatus()).isEqualTo(200);
            tryPrice(prices, "apple");
            assertThat(calls(context.getBean(MeterRegistry.class), "prices", "too_old")).isEqualTo(1);
            assertThat(endpoint.change("lastknowngood", "nobody", null, Map.of("max-staleness", "1m"), null)
                    .getStatus()).isEqualTo(404);
        });
    }

    @Test
    void aPurgeDropsOneKeyOrEveryAnswer() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            ResilienceEndpointWriteHandler writes = new ResilienceEndpointWriteHandler(
                    context.getBean(ResilienceEndpoint.class));
            prices.price("apple");
            prices.price("pear");
            prices.price("plum");
            prices.failing().set(true);

            assertThat(writes.change("lastknowngood", "prices", Map.of("purge", "yes")).getStatusCode().value())
                    .isEqualTo(400);
            assertThat(writes.change("lastknowngood", "prices", Map.of("purge", true, "key", "apple"))
                    .getStatusCode().value()).isEqualTo(200);
            assertThat(prices.price("pear")).isEqualTo("pear: 5");
            assertThatThrownBy(() -> prices.price("apple")).hasMessage("prices down");

            assertThat(writes.change("lastknowngood", "prices", Map.of("purge", true)).getStatusCode().value())
                    .isEqualTo(200);
            assertThatThrownBy(() -> prices.price("pear")).hasMessage("prices down");
            assertThatThrownBy(() -> prices.price("plum")).hasMessage("prices down");
            assertThat(writes.change("lastknowngood", "nobody", Map.of("purge", true)).getStatusCode().value())
                    .isEqualTo(404);
        });
    }

    private static void tryPrice(Prices prices, String sku) {
        try {
            prices.price(sku);
        } catch (IllegalStateException expected) {
            // the failure propagates: nothing (young enough) stored
        }
    }

    static class Prices {
        private final AtomicBoolean failing = new AtomicBoolean();

        AtomicBoolean failing() {
            return failing;
        }

        @LastKnownGood("prices")
        public String price(String sku) {
            if (failing.get()) {
                throw new IllegalStateException("prices down");
            }
            return sku + ": 5";
        }

        @LastKnownGood("configured")
        public String other(String sku) {
            return sku;
        }
    }
}
