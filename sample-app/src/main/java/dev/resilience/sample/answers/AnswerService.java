package dev.resilience.sample.answers;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.LastKnownGood;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.sample.simulation.DependencyClient;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Service;

/**
 * Answers questions from the primary LLM provider, each attempt bounded by a timeout; when it fails (after a
 * retry) or its breaker is open, from the secondary provider; when that fails too, with the primary's last good
 * answer to the same question, if it is younger than {@code max-staleness} ({@code @LastKnownGood}: the caller
 * learns it was stale from {@code ResilienceContext.lastCall()}). The secondary's answers are a fallback's, so they
 * are never stored.
 */
@Service
public class AnswerService {

    private final DependencyClient client;
    private final SecondaryProvider secondary;

    public AnswerService(DependencyClient client, SecondaryProvider secondary) {
        this.client = client;
        this.secondary = secondary;
    }

    @LastKnownGood("answers")
    @Retry("primary-llm")
    @CircuitBreaker("primary-llm")
    @Timeout("primary-llm")
    @Fallback(method = "askSecondary", skipOn = IllegalArgumentException.class)
    public Answer ask(String question) {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("a question is required");
        }
        Map<String, String> body = client.http().get().uri("/sim/providers/primary/answer?q={q}", question)
                .retrieve().body(new ParameterizedTypeReference<>() { });
        return new Answer(question, body.get("answer"), "primary");
    }

    private Answer askSecondary(String question) {
        return secondary.ask(question);
    }
}
