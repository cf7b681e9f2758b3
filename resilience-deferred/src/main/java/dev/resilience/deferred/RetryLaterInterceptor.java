package dev.resilience.deferred;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * Runs a {@code @RetryLater} method (through its other policies, which sit inside) and stores the call when it
 * still fails. Costs nothing but a lookup by {@link Method} on success.
 */
public final class RetryLaterInterceptor implements MethodInterceptor {

    private final RetryLaterMethods methods;
    private final Supplier<DeferredCalls> calls;
    private volatile DeferredCalls resolvedCalls;

    /** @param calls supplies the store at first failure, so the advisor can be created early */
    public RetryLaterInterceptor(RetryLaterMethods methods, Supplier<DeferredCalls> calls) {
        this.methods = methods;
        this.calls = calls;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (DeferredCall.enterReplay()) {
            return invocation.proceed();
        }
        RetryLaterMethods.Target target = target(invocation);
        if (target == null) {
            return invocation.proceed();
        }
        if (target.asynchronous()) {
            return asynchronous(invocation, target);
        }
        try {
            return invocation.proceed();
        } catch (Throwable failure) {
            store(target, invocation.getArguments(), failure);
            if (calls().policyPropagates(target)) {
                throw failure;
            }
            return null;
        }
    }

    private Object asynchronous(MethodInvocation invocation, RetryLaterMethods.Target target) {
        CompletionStage<?> stage;
        try {
            stage = (CompletionStage<?>) invocation.proceed();
        } catch (Throwable failure) {
            stage = CompletableFuture.failedFuture(failure);
        }
        Object[] arguments = invocation.getArguments();
        CompletableFuture<Void> result = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(null);
                return;
            }
            Throwable failure = unwrap(error);
            try {
                store(target, arguments, failure);
            } catch (Throwable notStored) {
                result.completeExceptionally(notStored);
                return;
            }
            if (calls().policyPropagates(target)) {
                result.completeExceptionally(failure);
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    private void store(RetryLaterMethods.Target target, Object[] arguments, Throwable failure) {
        calls().store(target, arguments, failure);
    }

    private RetryLaterMethods.Target target(MethodInvocation invocation) {
        Method method = invocation.getMethod();
        RetryLaterMethods.Target target = methods.target(method);
        if (target == null && invocation.getThis() != null) {
            target = methods.target(AopUtils.getMostSpecificMethod(method, AopUtils.getTargetClass(
                    invocation.getThis())));
        }
        return target;
    }

    private DeferredCalls calls() {
        DeferredCalls resolved = resolvedCalls;
        if (resolved == null) {
            resolved = calls.get();
            resolvedCalls = resolved;
        }
        return resolved;
    }

    static Throwable unwrap(Throwable error) {
        Throwable failure = error;
        while ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }
}
