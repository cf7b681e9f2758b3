package dev.resilience.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With Boot's own ObservationRegistry: its handlers see the calls, and its per-prefix switch turns them off. */
class BootObservationTest {

    private final List<String> started = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, AopAutoConfiguration.class,
                    ResilienceAutoConfiguration.class, ResilienceObservationAutoConfiguration.class))
            .withBean(ObservedServices.class, ObservedServices::new)
            .withBean(ObservationHandler.class, () -> new ObservationHandler<>() {
                @Override
                public void onStart(Observation.Context context) {
                    started.add(context.getName() + " " + context.getLowCardinalityKeyValue("resilience.instance")
                            .getValue());
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });

    @Test
    void bootsRegistryAndItsHandlersSeeEachCall() {
        runner.run(context -> {
            context.getBean(ObservedServices.class).stock();

            assertThat(started).containsExactly("resilience.call inventory");
        });
    }

    @Test
    void managementObservationsEnableResilienceFalseStartsNone() {
        runner.withPropertyValues("management.observations.enable.resilience=false").run(context -> {
            assertThat(context.getBean(ObservedServices.class).stock()).isEqualTo("12");

            assertThat(started).isEmpty();
        });
    }
}
