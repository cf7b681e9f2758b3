package dev.resilience.deferred;

import dev.resilience.annotation.RetryLater;
import dev.resilience.autoconfigure.aop.ResilienceAdvisor;
import java.lang.reflect.Method;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Applies the {@link RetryLaterInterceptor} to {@code @RetryLater} methods, outside the other policies (so that what
 * their retries and fallbacks could not save is stored) and outside transactions by default.
 */
public final class RetryLaterAdvisor extends AbstractPointcutAdvisor {

    /** Just outside {@link ResilienceAdvisor#DEFAULT_ORDER}. */
    public static final int DEFAULT_ORDER = ResilienceAdvisor.DEFAULT_ORDER - 10;

    private final transient RetryLaterInterceptor interceptor;
    private final transient Pointcut pointcut = new RetryLaterPointcut();

    public RetryLaterAdvisor(RetryLaterInterceptor interceptor) {
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

    private static final class RetryLaterPointcut extends StaticMethodMatcherPointcut {

        RetryLaterPointcut() {
            setClassFilter(candidate -> AnnotationUtils.isCandidateClass(candidate, RetryLater.class));
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return AnnotationUtils.findAnnotation(AopUtils.getMostSpecificMethod(method, targetClass),
                    RetryLater.class) != null;
        }
    }
}
