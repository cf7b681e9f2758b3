package dev.resilience.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.ResilienceException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.FakeTime;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FallbackTest {

    static class Base {
        String inherited(String question) {
            return "inherited:" + question;
        }
    }

    static class Answers extends Base {
        public String ask(String question) {
            throw new IllegalStateException("primary down");
        }

        private String secondary(String question) {
            throw new IllegalStateException("secondary down");
        }

        private String cached(String question, IOException failure) {
            return "io-cached:" + question;
        }

        private String cached(String question, RuntimeException failure) {
            return "cached:" + question + ":" + failure.getMessage();
        }

        private String broken(String question) {
            throw new UnsupportedOperationException("broken");
        }

        private int wrongReturn(String question) {
            return 1;
        }

        public CompletableFuture<String> askAsync(String question) {
            return CompletableFuture.failedFuture(new IllegalStateException("async down"));
        }

        private String valueForAsync(String question, Throwable failure) {
            return "value:" + failure.getMessage();
        }

        private CompletionStage<String> failingStage(String question) {
            return CompletableFuture.failedFuture(new IOException("stage down"));
        }

        public int count(int from, long step) {
            throw new IllegalStateException("down");
        }

        private static int staticCount(int from, long step, RuntimeException failure) {
            return from + (int) step;
        }

        private int rejectedByAnotherBreaker(int from, long step) {
            throw SHARED_REJECTION;
        }
    }

    /** What a breaker of another bean throws for every rejected call. */
    static final ResilienceException SHARED_REJECTION = sharedRejection();

    private static ResilienceException sharedRejection() {
        CircuitBreaker breaker = new CircuitBreaker(
                "secondary", CircuitBreakerConfig.defaults(),
                new FakeTime().timing());
        breaker.transitionToForcedOpen();
        try {
            breaker.acquirePermission();
            throw new AssertionError("a forced-open breaker permitted a call");
        } catch (ResilienceException rejection) {
            return rejection;
        }
    }

    private static Method method(String name, Class<?>... parameters) throws NoSuchMethodException {
        return Answers.class.getMethod(name, parameters);
    }

    private static FallbackChain chain(String guarded, List<String> names, List<Class<? extends Throwable>> applyOn,
            List<Class<? extends Throwable>> skipOn) throws NoSuchMethodException {
        return FallbackResolver.resolve(Answers.class, method(guarded, String.class), names, applyOn, skipOn);
    }

    @Test
    void chainTriesNextWhenFirstFails() throws Throwable {
        FallbackChain chain = chain("ask", List.of("secondary", "cached"), List.of(Exception.class), List.of());

        Object answer = chain.recover(new Answers(), new Object[] {"q"}, new IllegalStateException("primary down"));

        assertThat(answer).isEqualTo("cached:q:primary down");
        assertThat(chain.getSuccessfulCalls()).isEqualTo(1);
        assertThat(chain.getFailedCalls()).isEqualTo(1);
        assertThat(chain.getGuardedMethod()).isEqualTo("Answers.ask");
    }

    @Test
    void fallbackWhoseFailureParameterDoesNotAcceptTheFailureIsSkipped() throws Throwable {
        FallbackChain chain = chain("ask", List.of("cached"), List.of(Exception.class), List.of());

        assertThat(chain.recover(new Answers(), new Object[] {"q"}, new IOException("io"))).isEqualTo("io-cached:q");
        assertThat(chain.recover(new Answers(), new Object[] {"q"}, new IllegalStateException("x")))
                .isEqualTo("cached:q:x");
    }

    @Test
    void manyThreadsCallingAFreshChainAtOnceAllGetTheFallbackAnswer() throws Exception {
        // The fallback's handle is shaped at its first call: threads racing to that first call must all be answered.
        FallbackChain chain = chain("ask", List.of("cached"), List.of(Exception.class), List.of());
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String question = "q" + i;
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return chain.recover(new Answers(), new Object[] {question}, new IllegalStateException("down"));
                } catch (Throwable ex) {
                    throw new CompletionException(ex);
                }
            }, pool));
        }
        start.countDown();

        try {
            for (int i = 0; i < threads; i++) {
                assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("cached:q" + i + ":down");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(chain.getSuccessfulCalls()).isEqualTo(threads);
    }

    @Test
    void superclassMethodsAreFound() throws Throwable {
        FallbackChain chain = chain("ask", List.of("inherited"), List.of(Exception.class), List.of());

        assertThat(chain.recover(new Answers(), new Object[] {"q"}, new IllegalStateException())).isEqualTo(
                "inherited:q");
    }

    @Test
    void whenEveryFallbackFailsTheLastFailurePropagatesWithTheEarlierOnesSuppressed() throws Exception {
        FallbackChain chain = chain("ask", List.of("secondary", "broken"), List.of(Exception.class), List.of());
        IllegalStateException primary = new IllegalStateException("primary down");

        assertThatThrownBy(() -> chain.recover(new Answers(), new Object[] {"q"}, primary))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("broken")
                .satisfies(last -> assertThat(last.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("primary down", "secondary down"));
    }

    @Test
    void staticFallbacksWithPrimitiveParametersAndResultsAreCalled() throws Throwable {
        FallbackChain chain = FallbackResolver.resolve(Answers.class, method("count", int.class, long.class),
                List.of("staticCount"), List.of(Exception.class), List.of());

        assertThat(chain.recover(new Answers(), new Object[] {40, 2L}, new IllegalStateException())).isEqualTo(42);
    }

    @Test
    void aSharedRejectionThatEndsTheChainIsCopiedSoItCarriesTheEarlierFailures() throws Exception {
        FallbackChain chain = FallbackResolver.resolve(Answers.class, method("count", int.class, long.class),
                List.of("rejectedByAnotherBreaker"), List.of(Exception.class), List.of());
        IllegalStateException primary = new IllegalStateException("primary down");

        assertThatThrownBy(() -> chain.recover(new Answers(), new Object[] {1, 1L}, primary))
                .isInstanceOf(SHARED_REJECTION.getClass()).isNotSameAs(SHARED_REJECTION)
                .hasMessage(SHARED_REJECTION.getMessage())
                .satisfies(last -> assertThat(last.getSuppressed()).containsExactly(primary));
        assertThat(SHARED_REJECTION.getSuppressed()).isEmpty();
    }

    @Test
    void skipOnWinsAndSkippedFailuresPropagateUnchanged() throws Exception {
        FallbackChain chain = chain("ask", List.of("secondary"), List.of(RuntimeException.class),
                List.of(IllegalArgumentException.class));
        IllegalArgumentException skipped = new IllegalArgumentException("bad question");
        IOException notApplied = new IOException("checked");

        assertThatThrownBy(() -> chain.recover(new Answers(), new Object[] {"q"}, skipped)).isSameAs(skipped);
        assertThatThrownBy(() -> chain.recover(new Answers(), new Object[] {"q"}, notApplied)).isSameAs(notApplied);
    }

    @Test
    void missingMethodIsReportedWithTheExpectedSignature() {
        assertThatThrownBy(() -> chain("ask", List.of("nowhere"), List.of(Exception.class), List.of()))
                .isInstanceOf(FallbackDeclarationException.class)
                .hasMessageContaining(Answers.class.getName() + ".ask(String)")
                .hasMessageContaining("'nowhere' does not exist")
                .hasMessageContaining("expected 'String nowhere(String)' or 'String nowhere(String, Throwable)'");
    }

    @Test
    void wrongSignatureIsReportedWithWhatWasFound() {
        assertThatThrownBy(() -> chain("ask", List.of("wrongReturn"), List.of(Exception.class), List.of()))
                .isInstanceOf(FallbackDeclarationException.class)
                .hasMessageContaining("'wrongReturn' has the wrong signature: found 'int wrongReturn(String)'")
                .hasMessageContaining("expected 'String wrongReturn(String)'");
    }

    @Test
    void asynchronousChainReceivesTheUnwrappedFailureAndMayAnswerWithAValue() throws Exception {
        FallbackChain chain = FallbackResolver.resolve(Answers.class, method("askAsync", String.class),
                List.of("failingStage", "valueForAsync"), List.of(Exception.class), List.of());

        CompletionStage<Object> answer = chain.recoverAsync(new Answers(), new Object[] {"q"},
                new java.util.concurrent.CompletionException(new IllegalStateException("async down")));

        assertThat(answer.toCompletableFuture().get()).isEqualTo("value:async down");
        assertThat(chain.getFailedCalls()).isEqualTo(1);
    }
}
