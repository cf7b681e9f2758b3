package dev.resilience.autoconfigure.aop;

import dev.resilience.core.GuardedCallObserver;
import dev.resilience.core.Timing;
import org.aopalliance.intercept.MethodInvocation;

/** The policies of one method of one class, resolved once and run on every call. */
abstract sealed class Pipeline permits Pipeline.Synchronous, Pipeline.Asynchronous, Pipeline.Reactive,
        Pipeline.PassThrough {

    abstract Object invoke(MethodInvocation invocation) throws Throwable;

    static final class Synchronous extends Pipeline {
        private final Step head;

        Synchronous(Step head) {
            this.head = head;
        }

        Step head() {
            return head;
        }

        @Override
        Object invoke(MethodInvocation invocation) throws Throwable {
            return head.proceed(invocation);
        }
    }

    static final class Asynchronous extends Pipeline {
        private final AsyncStep head;

        Asynchronous(AsyncStep head) {
            this.head = head;
        }

        /**
         * The pipeline of {@code policies}' steps (see {@link AsyncStep#of}); a factory, so that building a
         * synchronous pipeline loads none of the asynchronous classes.
         */
        static Pipeline of(Object[] policies, GuardedCallObserver.MethodObserver observed, Timing timing) {
            return new Asynchronous(AsyncStep.of(policies, observed, timing));
        }

        @Override
        Object invoke(MethodInvocation invocation) {
            return head.proceed(invocation);
        }
    }

    /** For {@code Mono}/{@code Flux} methods; implemented apart so that Reactor stays optional. */
    abstract static non-sealed class Reactive extends Pipeline {
    }

    /** For a method the pointcut matched but no policy applies to (e.g. a non-public method). */
    static final class PassThrough extends Pipeline {
        static final PassThrough INSTANCE = new PassThrough();

        @Override
        Object invoke(MethodInvocation invocation) throws Throwable {
            return invocation.proceed();
        }
    }
}
