package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Applies the {@link ResilienceInterceptor} to methods carrying a policy annotation, or declared public by a
 * class that carries one. The match is static: Spring evaluates it once per method when it creates the proxy.
 *
 * <p>Its order is just inside the highest precedence of ordinary advisors, so it runs outside
 * transactions by default: every retry gets a fresh transaction.
 */
public final class ResilienceAdvisor extends AbstractPointcutAdvisor {

    /** The default order; lower values run further outside. */
    public static final int DEFAULT_ORDER = 1_000;

    private final transient ResilienceInterceptor interceptor;
    private final transient Pointcut pointcut = new GuardedMethodPointcut();

    public ResilienceAdvisor(ResilienceInterceptor interceptor) {
        this.interceptor = interceptor;
        setOrder(DEFAULT_ORDER);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }

    private static final class GuardedMethodPointcut extends StaticMethodMatcherPointcut {

        GuardedMethodPointcut() {
            setClassFilter(candidate -> AnnotationUtils.isCandidateClass(candidate, GuardedMethod.ANNOTATIONS));
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return GuardedMethod.isGuarded(method, targetClass);
        }

        /**
         * Every instance matches the same methods (the match reads only their annotations), so all are equal: Spring
         * then reuses a bean class's CGLIB proxy class in the next context (a test suite's) instead of generating it
         * again, as it does for its own static pointcuts (the startup benchmark's warm rows).
         */
        @Override
        public boolean equals(Object other) {
            return other instanceof GuardedMethodPointcut;
        }

        @Override
        public int hashCode() {
            return GuardedMethodPointcut.class.hashCode();
        }
    }
}
