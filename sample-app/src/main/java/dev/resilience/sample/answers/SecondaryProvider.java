package dev.resilience.sample.answers;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.sample.simulation.DependencyClient;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Service;

/**
 * The secondary LLM provider: a breaker of its own so that it is not hammered while it is down too, and a rate
 * limit, because its plan allows only so many requests per second.
 */
@Service
public class SecondaryProvider {

    private final DependencyClient client;

    public SecondaryProvider(DependencyClient client) {
        this.client = client;
    }

    @CircuitBreaker("secondary-llm")
    @RateLimiter("secondary-llm")
    public Answer ask(String question) {
        Map<String, String> body = client.http().get().uri("/sim/providers/secondary/answer?q={q}", question)
                .retrieve().body(new ParameterizedTypeReference<>() { });
        return new Answer(question, body.get("answer"), "secondary");
    }
}
