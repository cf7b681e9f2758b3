package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Which methods of a bean are guarded: each bean class's annotations are scanned once and shared by the startup
 * validation and the proxy, so these check that what the proxy guards is still what the annotations declare, where
 * they are declared elsewhere than on the bean class's own method.
 */
class GuardedMethodDiscoveryTest {

    private final FakeTime time = new FakeTime();

    private ApplicationContextRunner runner(boolean classProxies) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
                .withBean(Timing.class, time::timing)
                .withBean(Prices.class, PriceService::new)
                .withBean(Inherited.class, Inherited::new)
                .withPropertyValues("spring.aop.proxy-target-class=" + classProxies);
    }

    @ParameterizedTest(name = "class proxies: {0}")
    @ValueSource(booleans = {true, false})
    void annotationsOnAnInterfaceMethodGuardItsImplementation(boolean classProxies) {
        runner(classProxies).run(context -> {
            Prices prices = context.getBean(Prices.class);

            assertThat(prices.price("ACME")).isEqualTo("ACME: cached");

            assertThat(context.getBean(CircuitBreakerRegistry.class).get("prices").getMetrics().failedCalls())
                    .as("three attempts through the breaker").isEqualTo(3);
        });
    }

    @ParameterizedTest(name = "class proxies: {0}")
    @ValueSource(booleans = {true, false})
    void anUnannotatedMethodOfAGuardedBeanIsNotGuarded(boolean classProxies) {
        runner(classProxies).run(context -> {
            Prices prices = context.getBean(Prices.class);

            assertThatIllegalStateException().isThrownBy(() -> prices.list("ACME")).withMessage("list down");

            assertThat(context.getBean(CircuitBreakerRegistry.class).get("prices").getMetrics().failedCalls())
                    .as("not through the breaker").isZero();
        });
    }

    @Test
    void annotationsOnAnInheritedMethodGuardTheSubclassBean() {
        runner(true).run(context -> {
            Inherited bean = context.getBean(Inherited.class);

            assertThat(bean.quote("ACME")).isEqualTo("ACME: stale");

            assertThat(bean.calls()).as("three attempts").isEqualTo(3);
        });
    }

    public interface Prices {
        @Retry("prices")
        @CircuitBreaker("prices")
        @Fallback("cached")
        String price(String symbol);

        String list(String symbol);
    }

    public static class PriceService implements Prices {
        @Override
        public String price(String symbol) {
            throw new IllegalStateException("prices down");
        }

        @Override
        public String list(String symbol) {
            throw new IllegalStateException("list down");
        }

        public String cached(String symbol) {
            return symbol + ": cached";
        }
    }

    public static class QuoteBase {
        final AtomicInteger calls = new AtomicInteger();

        @Retry("quotes")
        @Fallback("stale")
        public String quote(String symbol) {
            calls.incrementAndGet();
            throw new IllegalStateException("quotes down");
        }

        public int calls() {
            return calls.get();
        }

        String stale(String symbol) {
            return symbol + ": stale";
        }
    }

    public static class Inherited extends QuoteBase {
    }
}
