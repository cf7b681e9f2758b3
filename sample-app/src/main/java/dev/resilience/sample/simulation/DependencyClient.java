package dev.resilience.sample.simulation;

import java.time.Duration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * An HTTP client for the simulated dependencies: {@code sample.dependencies.base-url}, or this application
 * itself once its port is known.
 */
@Component
public class DependencyClient {

    private final Environment environment;
    private volatile RestClient client;

    public DependencyClient(Environment environment) {
        this.environment = environment;
    }

    public RestClient http() {
        RestClient current = client;
        if (current == null) {
            SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
            requests.setConnectTimeout(Duration.ofSeconds(1));
            requests.setReadTimeout(Duration.ofSeconds(5));
            String baseUrl = environment.getProperty("sample.dependencies.base-url",
                    "http://localhost:" + environment.getProperty("local.server.port", "8080"));
            current = RestClient.builder().baseUrl(baseUrl).requestFactory(requests).build();
            client = current;
        }
        return current;
    }
}
