package dev.resilience.autoconfigure.health;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Places DEGRADED between OUT_OF_SERVICE and UP in the health status order, with no configuration by the user.
 * The default is added with the lowest precedence, after the application's own configuration is loaded, so a
 * {@code management.endpoint.health.status.order} the user sets still wins. The HTTP mapping is left alone:
 * Boot already answers 200 for statuses it has no mapping for.
 */
public final class DegradedStatusOrderPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "management.endpoint.health.status.order";
    static final String ORDER = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("resilienceHealthStatusOrder",
                Map.of(PROPERTY, ORDER)));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
