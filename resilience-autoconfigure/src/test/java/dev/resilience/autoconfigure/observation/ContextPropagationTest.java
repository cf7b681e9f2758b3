package dev.resilience.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.Timing;
import dev.resilience.timeout.CallTimeoutException;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The caller's context (MDC, thread-local values registered with context-propagation) reaches the attempts and
 * calls that go on on the starter's threads; without context-propagation nothing is carried, as before.
 */
class ContextPropagationTest {

    private static final String USER_KEY = "resilience.test.user";
    private static final ThreadLocal<String> USER = new ThreadLocal<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class))
            .withBean(ObservedServices.class, ObservedServices::new)
            .withPropertyValues("resilience.retry.instances.inventory.max-attempts=3",
                    "resilience.retry.instances.inventory.wait-duration=1ms",
                    "resilience.timeout.instances.slow.timeout-duration=100ms");

    @BeforeEach
    void registerTheUserAccessor() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(USER_KEY, USER::get, USER::set, USER::remove);
        MDC.put("requestId", "req-1");
        USER.set("alice");
    }

    /**
     * The scheduler thread is one for the whole JVM ({@code Timing.system()}), and the retry it ran may still be
     * restoring that thread's own context after completing the future that let the test end. Context-propagation
     * restores a value only through an accessor still registered, so the accessor is removed once that task is
     * done: removed earlier, the thread would keep {@code user=alice} into the next test.
     */
    @AfterEach
    void removeTheUserAccessor() throws InterruptedException {
        CountDownLatch drained = new CountDownLatch(1);
        Timing.system().scheduler().schedule(drained::countDown, 0);
        assertThat(drained.await(10, TimeUnit.SECONDS)).as("the scheduler thread finished its tasks").isTrue();
        ContextRegistry.getInstance().removeThreadLocalAccessor(USER_KEY);
        MDC.clear();
        USER.remove();
    }

    private static String context() {
        return Thread.currentThread().getName() + " requestId=" + MDC.get("requestId") + " user=" + USER.get();
    }

    @Test
    void anAsynchronousRetryOnTheSchedulerThreadHasTheCallersContext() {
        runner.run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.probe(ContextPropagationTest::context);
            services.failing().set(1);

            assertThat(services.stockAsync().get(10, TimeUnit.SECONDS)).isEqualTo("12");

            assertThat(services.seen()).hasSize(2);
            assertThat(services.seen().get(1)).isEqualTo("resilience-scheduler requestId=req-1 user=alice");
            assertThat(MDC.get("requestId")).isEqualTo("req-1");
        });
    }

    @Test
    void aRetryHasTheCallersContextThoughTheFailedAttemptEndedOnAnotherThread() {
        runner.run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.probe(ContextPropagationTest::context);
            services.failing().set(1);

            assertThat(services.stockAsyncElsewhere().get(10, TimeUnit.SECONDS)).isEqualTo("12");

            assertThat(services.seen()).hasSize(2);
            assertThat(services.seen().get(1)).isEqualTo("resilience-scheduler requestId=req-1 user=alice");
        });
    }

    @Test
    void theSchedulerThreadKeepsNothingOfTheCallerAfterwards() {
        runner.run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.probe(ContextPropagationTest::context);
            services.failing().set(1);
            services.stockAsync().get(10, TimeUnit.SECONDS);
            MDC.clear();
            USER.remove();
            services.failing().set(1);

            services.stockAsync().get(10, TimeUnit.SECONDS);

            assertThat(services.seen().get(3)).isEqualTo("resilience-scheduler requestId=null user=null");
        });
    }

    @Test
    void aSynchronousCallUnderATimeoutRunsWithTheCallersContext() {
        runner.run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.probe(ContextPropagationTest::context);
            String caller = Thread.currentThread().getName();

            assertThatThrownBy(services::slow).isInstanceOf(CallTimeoutException.class);

            assertThat(services.seen()).singleElement().asString().doesNotStartWith(caller + " ")
                    .endsWith(" requestId=req-1 user=alice");
        });
    }

    @Test
    void withoutContextPropagationTheRetriedAttemptHasNoneOfIt() {
        runner.withClassLoader(new FilteredClassLoader(ContextSnapshotFactory.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ContextCarrier.class);
            ObservedServices services = context.getBean(ObservedServices.class);
            services.probe(ContextPropagationTest::context);
            services.failing().set(1);

            assertThat(services.stockAsync().get(10, TimeUnit.SECONDS)).isEqualTo("12");

            assertThat(services.seen().get(1)).isEqualTo("resilience-scheduler requestId=null user=null");
        });
    }
}
