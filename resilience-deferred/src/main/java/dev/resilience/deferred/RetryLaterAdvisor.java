package dev.resilience.deferred;

import dev.resilience.annotation.RetryLater;
import dev.resilience.autoconfigure.aop.ResilienceAdvisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Applies the {@link RetryLaterInterceptor} to {@code @RetryLater} methods (declared on the method or on a method
 * it overrides or implements), outside the other policies (so that what their retries and fallbacks could not save
 * is stored) and outside transactions by default. Spring's {@link AnnotationMatchingPointcut} does the static match
 * and is equal across contexts, so a bean's proxy class is reused by the next context.
 */
public final class RetryLaterAdvisor extends DefaultPointcutAdvisor {

    /** Just outside {@link ResilienceAdvisor#DEFAULT_ORDER}. */
    public static final int DEFAULT_ORDER = ResilienceAdvisor.DEFAULT_ORDER - 10;

    public RetryLaterAdvisor(RetryLaterInterceptor interceptor) {
        super(new AnnotationMatchingPointcut(null, RetryLater.class, true), interceptor);
        setOrder(DEFAULT_ORDER);
    }
}
