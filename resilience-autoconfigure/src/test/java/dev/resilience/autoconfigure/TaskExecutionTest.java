package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resilience.annotation.Timeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The starter's own threads leave Boot's {@code applicationTaskExecutor} in place (so {@code @Async} and MVC async
 * keep the executor configured with {@code spring.task.execution.*}), follow {@code spring.threads.virtual.enabled}
 * and stop with the context.
 */
class TaskExecutionTest {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(AopAutoConfiguration.class,
            ResilienceAutoConfiguration.class, TaskExecutionAutoConfiguration.class);

    @Test
    void bootsApplicationTaskExecutorStaysInAPlainApplication() {
        keepsBootsTaskExecutor(new ApplicationContextRunner());
    }

    @Test
    void bootsApplicationTaskExecutorStaysInAServletApplication() {
        keepsBootsTaskExecutor(new WebApplicationContextRunner());
    }

    @Test
    void bootsApplicationTaskExecutorStaysInAReactiveApplication() {
        keepsBootsTaskExecutor(new ReactiveWebApplicationContextRunner());
    }

    private static <R extends AbstractApplicationContextRunner<R, C, A>, C extends ConfigurableApplicationContext,
            A extends ApplicationContextAssertProvider<C>> void keepsBootsTaskExecutor(R runner) {
        runner.withConfiguration(CONFIGURATIONS)
                .withUserConfiguration(AsyncConfiguration.class)
                .withBean(Timed.class)
                .withPropertyValues("spring.task.execution.thread-name-prefix=app-task-")
                .run(context -> {
                    assertThat(context.getStartupFailure()).isNull();
                    assertThat(context.getBeansOfType(Executor.class)).containsOnlyKeys("applicationTaskExecutor");
                    assertThat(context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class)
                            .getThreadNamePrefix()).isEqualTo("app-task-");
                    assertThat(context.getBean(AsyncWork.class).threadName().get(10, TimeUnit.SECONDS))
                            .startsWith("app-task-");
                    assertThat(context.getBean(Timed.class).thread().getName()).startsWith("resilience-timeout-");
                });
    }

    @Test
    void timedCallsRunOnPlatformDaemonThreadsUnlessVirtualThreadsAreEnabled() {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS).withBean(Timed.class).run(context -> {
            Thread thread = context.getBean(Timed.class).thread();
            assertThat(isVirtual(thread)).isFalse();
            assertThat(thread.isDaemon()).isTrue();
            assertThat(thread.getName()).startsWith("resilience-timeout-");
        });
    }

    @Test
    void timedCallsRunOnVirtualThreadsWhenSpringThreadsVirtualIsEnabled() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS).withBean(Timed.class)
                .withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
                    assertThat(isVirtual(context.getBean(Timed.class).thread())).isTrue();
                });
    }

    @Test
    void workersStopWithTheContext() {
        AtomicReference<TimeoutWorkers> workers = new AtomicReference<>();
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .run(context -> workers.set(context.getBean(TimeoutWorkers.class)));

        assertThat(workers.get().executor().isShutdown()).isTrue();
    }

    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        return Runtime.version().feature() >= 21 && (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfiguration {
        @org.springframework.context.annotation.Bean
        AsyncWork asyncWork() {
            return new AsyncWork();
        }
    }

    public static class AsyncWork {
        @Async
        public CompletableFuture<String> threadName() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    public static class Timed {
        @Timeout("timed")
        public Thread thread() {
            return Thread.currentThread();
        }
    }
}
