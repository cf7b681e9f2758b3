package dev.resilience.autoconfigure.aop;

import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * Lets a retry invoke the rest of the interceptor chain again. Spring's invocation is single-use: proceeding
 * advances it through the chain. So each attempt proceeds a fresh copy taken with Spring's public
 * {@link ProxyMethodInvocation#invocableClone(Object...)} (as Spring's own retry interceptor does), and the
 * invocation the proxy handed us is never proceeded: it stays positioned just inside our interceptor, so every
 * copy runs exactly the interceptors inside ours, then the method, on the target the proxy obtained for this
 * call. A copy costs one allocation per attempt, on retry-guarded methods only; it shares the argument array
 * (the copy sees what the proxy received), as nothing inside ours rewrites arguments in place.
 */
final class Reinvocation {

    private Reinvocation() {
    }

    /**
     * An invocation for one attempt: a copy of {@code invocation} for a Spring proxy's, else {@code invocation}
     * itself (the programmatic guard's call, which can be proceeded again).
     */
    static MethodInvocation attempt(MethodInvocation invocation) {
        return invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone(proxied.getArguments())
                : invocation;
    }
}
