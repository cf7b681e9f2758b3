package dev.resilience.autoconfigure.aop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.ReflectiveMethodInvocation;

/**
 * Lets a retry invoke the rest of the interceptor chain again. Spring's invocation is single-use: proceeding
 * advances its position in the chain. Copying it before every call would cost an allocation on every success, so
 * the position is remembered instead (one field read) and restored on a copy only when a retry happens. Where the
 * position cannot be read (an invocation of another kind), a copy is taken before the first attempt, as Spring's
 * own retry interceptor does.
 */
final class Reinvocation {

    /** Returned by {@link #positionOf} when the position cannot be read. */
    static final int UNKNOWN = Integer.MIN_VALUE;

    private static final VarHandle POSITION = position();

    private Reinvocation() {
    }

    /** Where {@code invocation} stands in its chain, before it proceeds; {@link #UNKNOWN} if unreadable. */
    static int positionOf(MethodInvocation invocation) {
        return POSITION != null && invocation instanceof ReflectiveMethodInvocation reflective
                ? (int) POSITION.get(reflective) : UNKNOWN;
    }

    /** A copy to proceed from when the position is {@link #UNKNOWN}; taken before the first attempt. */
    static MethodInvocation template(MethodInvocation invocation, int position) {
        if (position != UNKNOWN) {
            return null;
        }
        return invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : invocation;
    }

    /** An invocation that proceeds from {@code position} (or from {@code template}) again. */
    static MethodInvocation again(MethodInvocation original, MethodInvocation template, int position) {
        if (position == UNKNOWN) {
            return template instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : template;
        }
        MethodInvocation copy = ((ProxyMethodInvocation) original).invocableClone();
        POSITION.set((ReflectiveMethodInvocation) copy, position);
        return copy;
    }

    private static VarHandle position() {
        try {
            return MethodHandles.privateLookupIn(ReflectiveMethodInvocation.class, MethodHandles.lookup())
                    .findVarHandle(ReflectiveMethodInvocation.class, "currentInterceptorIndex", int.class);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            return null;
        }
    }
}
