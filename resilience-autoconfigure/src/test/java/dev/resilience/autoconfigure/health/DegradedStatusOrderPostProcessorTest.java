package dev.resilience.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class DegradedStatusOrderPostProcessorTest {

    private final DegradedStatusOrderPostProcessor postProcessor = new DegradedStatusOrderPostProcessor();

    @Test
    void placesDegradedBetweenOutOfServiceAndUpByDefault() {
        StandardEnvironment environment = new StandardEnvironment();

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.endpoint.health.status.order"))
                .isEqualTo("DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");
    }

    @Test
    void usersOwnOrderWins() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application",
                Map.of("management.endpoint.health.status.order", "DOWN,UP")));

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.endpoint.health.status.order")).isEqualTo("DOWN,UP");
    }
}
