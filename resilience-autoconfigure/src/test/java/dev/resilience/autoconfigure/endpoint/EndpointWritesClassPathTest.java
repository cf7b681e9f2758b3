package dev.resilience.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The writes' management-context configuration, found through Actuator's own import of management context
 * configurations, with only one web stack on the class path, and without a web application at all.
 */
class EndpointWritesClassPathTest {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(ResilienceAutoConfiguration.class,
            ResilienceEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
            WebEndpointAutoConfiguration.class, ManagementContextAutoConfiguration.class);

    private static final String EXPOSED = "management.endpoints.web.exposure.include=resilience";

    @Test
    void servletApplicationWithoutWebFluxGetsTheSpringMvcWrites() {
        new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS).withPropertyValues(EXPOSED)
                .withClassLoader(new FilteredClassLoader("org.springframework.web.reactive"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(ResilienceEndpointWebMvcHandlerMapping.class);
                    assertThat(context).doesNotHaveBean(ResilienceEndpointWebFluxHandlerMapping.class);
                });
    }

    @Test
    void reactiveApplicationWithoutSpringMvcGetsTheWebFluxWrites() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS).withPropertyValues(EXPOSED)
                .withClassLoader(new FilteredClassLoader("org.springframework.web.servlet", "jakarta.servlet"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(ResilienceEndpointWebFluxHandlerMapping.class);
                    assertThat(context).doesNotHaveBean(ResilienceEndpointWebMvcHandlerMapping.class);
                });
    }

    @Test
    void applicationWithoutAWebServerHasNoWrites() {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS).withPropertyValues(EXPOSED)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(ResilienceEndpoint.class);
                    assertThat(context).doesNotHaveBean(ResilienceEndpointWriteHandler.class);
                });
    }
}
