package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.List;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.DefaultAdvisorChainFactory;
import org.springframework.aop.framework.ReflectiveMethodInvocation;

/**
 * Lets a retry invoke the rest of the interceptor chain again. Spring's invocation is single-use: proceeding
 * advances it through the chain. Copying it before every call ({@code invocableClone()}, as Spring's own retry
 * interceptor does) would cost an allocation on every success, so for a proxy Spring built (an {@link Advised}
 * one, the usual case) nothing is copied up front: a retry asks the proxy's configuration, through Spring's
 * public {@link DefaultAdvisorChainFactory}, for the method's chain, and proceeds through the interceptors that
 * stand inside ours. Only for an invocation of another kind is a copy taken before the first attempt.
 */
final class Reinvocation {

    private static final DefaultAdvisorChainFactory CHAINS = new DefaultAdvisorChainFactory();

    private Reinvocation() {
    }

    /**
     * What a later attempt will need, taken before the first attempt: {@code null} (nothing allocated) when the
     * chain can be rebuilt from the proxy, else a copy of the invocation as it stands now.
     */
    static MethodInvocation template(MethodInvocation invocation) {
        if (rebuildable(invocation)) {
            return null;
        }
        return invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : invocation;
    }

    /** An invocation that proceeds through the interceptors inside ours, and then the method, again. */
    static MethodInvocation again(MethodInvocation original, MethodInvocation template) {
        if (template != null) {
            return template instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : template;
        }
        ProxyMethodInvocation proxied = (ProxyMethodInvocation) original;
        Object target = proxied.getThis();
        Class<?> targetClass = target != null ? target.getClass() : null;
        List<Object> chain = CHAINS.getInterceptorsAndDynamicInterceptionAdvice((Advised) proxied.getProxy(),
                proxied.getMethod(), targetClass);
        int ours = indexOfOurs(chain);
        if (ours < 0) {
            throw new IllegalStateException("Cannot retry " + proxied.getMethod() + ": the proxy's advisor chain "
                    + "does not contain the resilience interceptor that called it");
        }
        return new Rerun(proxied.getProxy(), target, proxied.getMethod(), proxied.getArguments().clone(),
                targetClass, chain.subList(ours + 1, chain.size()));
    }

    /** Two type checks: cheap enough for every call. */
    private static boolean rebuildable(MethodInvocation invocation) {
        return invocation instanceof ProxyMethodInvocation proxied && proxied.getProxy() instanceof Advised;
    }

    private static int indexOfOurs(List<Object> chain) {
        for (int index = 0; index < chain.size(); index++) {
            if (chain.get(index) instanceof ResilienceInterceptor) {
                return index;
            }
        }
        return -1;
    }

    /** Spring's own invocation, over the part of the chain inside ours; its constructor is Spring's extension point. */
    private static final class Rerun extends ReflectiveMethodInvocation {
        Rerun(Object proxy, Object target, Method method, Object[] arguments, Class<?> targetClass,
                List<Object> interceptors) {
            super(proxy, target, method, arguments, targetClass, interceptors);
        }
    }
}
