package dev.resilience.autoconfigure.observation;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Degradable;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.LastKnownGood;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** Guarded methods whose failures the tests choose, for the observation and context-propagation tests. */
public class ObservedServices {

    /** How many of the next attempts fail (with an IOException). */
    private final AtomicInteger failing = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    /** What each attempt saw of its caller's context, as the test chooses to read it. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile Supplier<String> probe = () -> "";
    private final CountDownLatch never = new CountDownLatch(1);

    /** How many of the next attempts fail (with an IOException); read through the proxy. */
    public AtomicInteger failing() {
        return failing;
    }

    public List<String> seen() {
        return seen;
    }

    /** What each attempt records of its caller's context. */
    public void probe(Supplier<String> probe) {
        this.probe = probe;
    }

    private String attempt(String answer) throws IOException {
        calls.incrementAndGet();
        seen.add(probe.get());
        if (failing.getAndDecrement() > 0) {
            throw new IOException("down");
        }
        return answer;
    }

    @Retry("inventory")
    @CircuitBreaker("inventory")
    public String stock() throws IOException {
        return attempt("12");
    }

    @Retry("inventory")
    @Fallback(method = "cached")
    public String stockOrCached() throws IOException {
        return attempt("12");
    }

    String cached() {
        return "cached";
    }

    @Timeout("slow")
    public String slow() throws InterruptedException {
        seen.add(probe.get());
        never.await();
        return "never";
    }

    @Degradable("recommendations")
    public String recommendations() {
        return "recommended";
    }

    @LastKnownGood("prices")
    public String price(String sku) throws IOException {
        return attempt("9.99");
    }

    @Retry("inventory")
    public CompletableFuture<String> stockAsync() {
        try {
            return CompletableFuture.completedFuture(attempt("12"));
        } catch (IOException failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /** Its future completes on a thread of its own, which has none of the caller's context. */
    @Retry("inventory")
    public CompletableFuture<String> stockAsyncElsewhere() {
        calls.incrementAndGet();
        seen.add(probe.get());
        boolean fails = failing.getAndDecrement() > 0;
        return CompletableFuture.supplyAsync(() -> {
            if (fails) {
                throw new IllegalStateException("down");
            }
            return "12";
        }, ELSEWHERE);
    }

    private static final java.util.concurrent.Executor ELSEWHERE = task -> {
        Thread thread = new Thread(task, "elsewhere");
        thread.setDaemon(true);
        thread.start();
    };

    @Retry("inventory")
    @Fallback(method = "cachedAsync")
    public CompletableFuture<String> stockOrCachedAsync() {
        return stockAsyncAttempt();
    }

    private CompletableFuture<String> stockAsyncAttempt() {
        try {
            return CompletableFuture.completedFuture(attempt("12"));
        } catch (IOException failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    CompletableFuture<String> cachedAsync() {
        return CompletableFuture.completedFuture("cached");
    }

    /** Records the contextual name of the observation its subscriber's context holds, as instrumented clients read it. */
    @Retry("inventory")
    public Mono<String> stockMonoInContext() {
        return Mono.deferContextual(view -> {
            Object current = view.getOrDefault("micrometer.observation", null);
            seen.add(current instanceof io.micrometer.observation.Observation observation
                    ? observation.getContext().getName() + " " + observation.getContext()
                            .getLowCardinalityKeyValue("resilience.instance").getValue() : "none");
            return Mono.just("12");
        });
    }

    @Retry("inventory")
    @Fallback(method = "cachedMono")
    public Mono<String> stockMono() {
        return Mono.fromCallable(() -> attempt("12"));
    }

    Mono<String> cachedMono() {
        return Mono.just("cached");
    }
}
