package dev.resilience.deferred;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;

/**
 * Replays one stored call on its bean, through the bean's proxy and so through the same policies as the original
 * call, and decides what becomes of it: removed on success; postponed without spending an attempt while the breaker
 * rejects it; else rescheduled with backoff, or kept as dead once {@code max-attempts} or {@code max-age} is reached.
 * A call that can no longer be replayed at all (its bean or method is gone) is kept as dead too, never dropped.
 */
final class ReplayHandler implements ExecutionHandler<String> {

    private final DeferredCalls calls;
    private final RetryLaterMethods methods;
    private final BeanFactory beans;

    ReplayHandler(DeferredCalls calls, RetryLaterMethods methods, BeanFactory beans) {
        this.calls = calls;
        this.methods = methods;
        this.beans = beans;
    }

    @Override
    public CompletionHandler<String> execute(TaskInstance<String> instance, ExecutionContext context) {
        Payload payload = calls.read(instance.getData());
        if (payload.dead()) {
            return reschedule(DeferredCalls.DEAD, payload);
        }
        calls.notify(listener -> listener.replayed(payload.instance()));
        RetryLaterMethods.Target target = methods.target(payload.bean(), payload.method(), payload.parameterTypes());
        if (target == null) {
            return dead(payload.withDead(true).withError("not replayable: no @RetryLater "
                    + "method " + payload.signature() + " on a bean named '" + payload.bean() + "'"));
        }
        Object[] arguments;
        try {
            arguments = arguments(target.method(), payload);
        } catch (RuntimeException ex) {
            return dead(payload.withDead(true).withError("not replayable: arguments "
                    + "cannot be read: " + Payload.describe(ex)));
        }
        DeferredCall call = new DeferredCall(instance.getId(), payload.instance(), payload.attempts() + 1);
        Throwable failure = invoke(target, arguments, call);
        RetryLaterPolicy policy = calls.policy(payload.instance());
        Instant now = calls.timing().clock().instant();
        if (failure == null) {
            calls.notify(listener -> listener.succeeded(payload.instance()));
            return (complete, operations) -> operations.stop();
        }
        boolean tooOld = !now.isBefore(payload.firstFailedAt().plus(policy.maxAge()));
        if (failure instanceof CircuitBreakerOpenException) {
            // The dependency is known to be down: waiting costs no attempt, though max-age still ends it.
            Payload postponed = payload.withError(Payload.describe(failure));
            return tooOld ? dead(postponed.withDead(true))
                    : reschedule(now.plus(policy.backoff()), postponed);
        }
        Payload failed = payload.failedAgain(Payload.describe(failure));
        if (failed.attempts() >= policy.maxAttempts() || tooOld) {
            return dead(failed.withDead(true));
        }
        return reschedule(now.plus(policy.delayAfter(failed.attempts())), failed);
    }

    private Throwable invoke(RetryLaterMethods.Target target, Object[] arguments, DeferredCall call) {
        try {
            Object bean = beans.getBean(target.bean());
            Method method = AopUtils.selectInvocableMethod(target.method(), bean.getClass());
            DeferredCall.replay(call, () -> {
                Object result = method.invoke(bean, arguments);
                if (result instanceof CompletionStage<?> stage) {
                    stage.toCompletableFuture().get();
                }
                return null;
            });
            return null;
        } catch (InvocationTargetException ex) {
            return RetryLaterInterceptor.unwrap(ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return ex;
        } catch (Throwable ex) {
            return RetryLaterInterceptor.unwrap(ex);
        }
    }

    private Object[] arguments(Method method, Payload payload) {
        Type[] types = method.getGenericParameterTypes();
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            arguments[i] = calls.json().treeToValue(payload.arguments().get(i),
                    calls.json().constructType(types[i]));
        }
        return arguments;
    }

    /** Keeps the call as dead; db-scheduler records this replay's end in {@code last_success}, read by health. */
    private CompletionHandler<String> dead(Payload payload) {
        calls.notify(listener -> listener.dead(payload.instance()));
        return reschedule(DeferredCalls.DEAD, payload);
    }

    private CompletionHandler<String> reschedule(Instant at, Payload payload) {
        String data = calls.write(payload);
        return (complete, operations) -> operations.reschedule(complete, at, data);
    }
}
