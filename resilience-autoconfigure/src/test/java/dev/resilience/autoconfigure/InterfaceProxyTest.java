package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With {@code spring.aop.proxy-target-class=false} beans get JDK interface proxies; the policies still apply. */
class InterfaceProxyTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Quotes.class, QuoteService::new)
            .withPropertyValues("spring.aop.proxy-target-class=false");

    @Test
    void annotationsOnTheImplementationApplyThroughAnInterfaceProxy() {
        runner.run(context -> {
            Quotes quotes = context.getBean(Quotes.class);
            assertThat(Proxy.isProxyClass(quotes.getClass())).as("a JDK proxy").isTrue();

            assertThat(quotes.quote("ACME")).isEqualTo("ACME: cached");

            QuoteService target = (QuoteService) ((org.springframework.aop.framework.Advised) quotes).getTargetSource()
                    .getTarget();
            assertThat(target.calls).as("three attempts").hasValue(3);
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("quotes").getMetrics().failedCalls())
                    .isEqualTo(3);
        });
    }

    public interface Quotes {
        String quote(String symbol);
    }

    public static class QuoteService implements Quotes {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        @Retry("quotes")
        @CircuitBreaker("quotes")
        @Fallback("cached")
        public String quote(String symbol) {
            calls.incrementAndGet();
            throw new IllegalStateException("quotes down");
        }

        String cached(String symbol) {
            return symbol + ": cached";
        }
    }
}
