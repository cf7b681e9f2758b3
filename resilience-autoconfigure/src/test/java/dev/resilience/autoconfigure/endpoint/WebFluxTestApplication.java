package dev.resilience.autoconfigure.endpoint;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A reactive application with Actuator and the starter, for the endpoint's tests over real HTTP. Tests start it
 * with {@code spring.main.web-application-type=reactive}: Spring MVC is on this module's test class path too.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class WebFluxTestApplication {
}
