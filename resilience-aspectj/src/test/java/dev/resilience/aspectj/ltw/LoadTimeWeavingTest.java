package dev.resilience.aspectj.ltw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.aspectj.ResilienceAspectJAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Runs in the build's {@code load-time-weaving} test execution, with {@code -javaagent:aspectjweaver.jar} and this
 * module's {@code META-INF/aop.xml}; {@link Quotes} was compiled by javac alone.
 */
class LoadTimeWeavingTest {

    private final FakeTime time = new FakeTime();

    @Test
    void privateSelfCalledMethodIsRetriedWhenWovenAtLoadTime() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                        ResilienceAspectJAutoConfiguration.class))
                .withBean(Timing.class, time::timing)
                .withBean(Quotes.class)
                .withPropertyValues("resilience.aop.mode=aspectj", "resilience.retry.instances.quotes.max-attempts=3",
                        "resilience.retry.instances.quotes.wait-duration=0ms")
                .run(context -> {
                    Quotes quotes = context.getBean(Quotes.class);

                    assertThat(quotes.quote()).isEqualTo("to be or not to be");
                    assertThat(quotes.attempts).hasValue(3);
                });
    }
}
