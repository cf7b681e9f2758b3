package dev.resilience.sample.answers;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.sample.simulation.DependencyClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Service;

/**
 * Answers questions from the primary LLM provider, each attempt bounded by a timeout; when it fails (after a
 * retry) or its breaker is open, from the secondary provider; when that fails too, from the last good answer
 * to the same question.
 */
@Service
public class AnswerService {

    private final DependencyClient client;
    private final SecondaryProvider secondary;
    private final Map<String, Answer> lastGoodAnswers = new ConcurrentHashMap<>();

    public AnswerService(DependencyClient client, SecondaryProvider secondary) {
        this.client = client;
        this.secondary = secondary;
    }

    @Retry("primary-llm")
    @CircuitBreaker("primary-llm")
    @Timeout("primary-llm")
    @Fallback(method = {"askSecondary", "cachedAnswer"}, skipOn = IllegalArgumentException.class)
    public Answer ask(String question) {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("a question is required");
        }
        Map<String, String> body = client.http().get().uri("/sim/providers/primary/answer?q={q}", question)
                .retrieve().body(new ParameterizedTypeReference<>() { });
        return remember(new Answer(question, body.get("answer"), "primary"));
    }

    private Answer askSecondary(String question) {
        return remember(secondary.ask(question));
    }

    private Answer cachedAnswer(String question, Exception failure) {
        Answer cached = lastGoodAnswers.get(question);
        if (cached != null) {
            return new Answer(question, cached.answer(), "cache");
        }
        return new Answer(question, "Both assistants are unavailable right now (" + failure.getClass().getSimpleName()
                + "); please try again in a minute.", "cache");
    }

    private Answer remember(Answer answer) {
        lastGoodAnswers.put(answer.question(), answer);
        return answer;
    }
}
