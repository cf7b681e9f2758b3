package dev.resilience.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.GuardedCallObserver.CallEvent;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.core.GuardedCallObserver.ObservedCall;
import dev.resilience.core.GuardedCallObserver.Scope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The synchronous part of an observed call on its thread: current while open, gone after, whatever throws. */
class ObservedCallStateTest {

    private final List<String> log = new ArrayList<>();

    @Test
    void anOpenCallIsCurrentUntilClosedThenThePreviousOneIsBack() {
        ObservedCallState.Open outer = ObservedCallState.open(call("outer", false));
        ObservedCallState current = ObservedCallState.current();
        ObservedCallState.Open inner = ObservedCallState.open(call("inner", false));

        assertThat(ObservedCallState.current()).isNotSameAs(current).isNotNull();
        inner.close(null);
        assertThat(ObservedCallState.current()).as("the outer call again").isSameAs(current);
        outer.close(new IllegalStateException("down"));
        assertThat(ObservedCallState.current()).isNull();
        assertThat(log).containsExactly("outer scope opened", "inner scope opened", "inner scope closed",
                "inner stop SUCCESS", "outer scope closed", "outer stop FAILURE");
    }

    @Test
    void aScopeThatFailsToOpenEndsTheCallAndLeavesNoCurrentCallBehind() {
        assertThatThrownBy(() -> ObservedCallState.open(call("failing", true)))
                .isInstanceOf(IllegalStateException.class).hasMessage("no scope");

        assertThat(ObservedCallState.current()).isNull();
        assertThat(log).containsExactly("failing stop FAILURE");
    }

    @Test
    void aScopeThatFailsToCloseFailsTheCallOrIsSuppressedByItsFailureAndLeavesNoCurrentCallBehind() {
        ObservedCallState.Open answered = ObservedCallState.open(call("answered", false, true));
        assertThatThrownBy(() -> answered.close(null)).hasMessage("no close");
        assertThat(ObservedCallState.current()).isNull();

        ObservedCallState.Open failed = ObservedCallState.open(call("failed", false, true));
        IllegalStateException failure = new IllegalStateException("down");
        failed.close(failure);
        assertThat(ObservedCallState.current()).isNull();
        assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("no close");
        assertThat(log).containsExactly("answered scope opened", "answered stop FAILURE", "failed scope opened",
                "failed stop FAILURE");
    }

    private ObservedCall call(String name, boolean scopeFails) {
        return call(name, scopeFails, false);
    }

    private ObservedCall call(String name, boolean scopeFails, boolean closeFails) {
        return new ObservedCall() {
            @Override
            public Scope openScope() {
                if (scopeFails) {
                    throw new IllegalStateException("no scope");
                }
                log.add(name + " scope opened");
                return () -> {
                    if (closeFails) {
                        throw new IllegalStateException("no close");
                    }
                    log.add(name + " scope closed");
                };
            }

            @Override
            public void event(CallEvent event, int attempt, Throwable cause) {
                log.add(name + " event " + event);
            }

            @Override
            public void stop(CallOutcome outcome, Throwable failure) {
                log.add(name + " stop " + outcome);
            }
        };
    }
}
