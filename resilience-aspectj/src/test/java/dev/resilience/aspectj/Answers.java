package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/** Woven at compile time by this module's build: guarded calls the proxy cannot see. */
public class Answers {

    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger checks = new AtomicInteger();
    final AtomicBoolean down = new AtomicBoolean();
    private final int failuresBeforeAnswer;

    public Answers() {
        this(2);
    }

    Answers(int failuresBeforeAnswer) {
        this.failuresBeforeAnswer = failuresBeforeAnswer;
    }

    /** Calls its own guarded method: not intercepted by a proxy. */
    public String ask() {
        return this.answer();
    }

    @Retry("answers")
    public String answer() {
        if (attempts.incrementAndGet() <= failuresBeforeAnswer) {
            throw new IllegalStateException("flaky " + attempts.get());
        }
        return "42";
    }

    /** Calls a private guarded method. */
    public String status() {
        return check();
    }

    @CircuitBreaker("status")
    @Fallback(method = "unknown")
    private String check() {
        checks.incrementAndGet();
        if (down.get()) {
            throw new IllegalStateException("down");
        }
        return "up";
    }

    private String unknown(Throwable failure) {
        return "unknown (" + failure.getClass().getSimpleName() + ")";
    }

    public CompletableFuture<String> askLater() {
        return answerLater();
    }

    @Retry("answers")
    CompletableFuture<String> answerLater() {
        if (attempts.incrementAndGet() <= failuresBeforeAnswer) {
            return CompletableFuture.failedFuture(new IllegalStateException("flaky " + attempts.get()));
        }
        return CompletableFuture.completedFuture("42");
    }

    public Mono<String> askReactively() {
        return answerReactively();
    }

    @Retry("answers")
    Mono<String> answerReactively() {
        return Mono.fromCallable(() -> {
            if (attempts.incrementAndGet() <= failuresBeforeAnswer) {
                throw new IllegalStateException("flaky " + attempts.get());
            }
            return "42";
        });
    }
}
