package dev.resilience.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An assistant that answers questions through flaky LLM providers and looks up stock in a flaky inventory
 * service, both simulated by this application itself over real HTTP under {@code /sim}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
