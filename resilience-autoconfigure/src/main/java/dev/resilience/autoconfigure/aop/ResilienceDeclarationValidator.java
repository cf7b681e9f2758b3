package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Builds the pipelines of every guarded method when its bean is created, so that a bad declaration (a
 * fallback that does not exist or does not fit, an annotation without an instance name, a bad instance
 * configuration) stops startup instead of failing at the first call.
 */
public final class ResilienceDeclarationValidator implements BeanPostProcessor {

    // Looked up at the first guarded bean and kept: resolving it through the provider for each of many guarded
    // beans is a noticeable part of a large application's start.
    private final SingletonSupplier<PipelineFactory> factory;

    public ResilienceDeclarationValidator(ObjectProvider<PipelineFactory> factory) {
        this.factory = SingletonSupplier.of(factory::getObject);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        Class<?> type = ClassUtils.getUserClass(bean);
        if (!AnnotationUtils.isCandidateClass(type, GuardedMethod.ANNOTATIONS)) {
            return bean;
        }
        // The class's one scan, which the advisor's pointcut answers from when the proxy is created; the pipelines
        // are built from what it resolved.
        Map<Method, GuardedMethod> guarded = GuardedClass.scan(type);
        if (guarded.isEmpty()) {
            return bean;
        }
        try {
            factory.obtain().prepare(type, guarded);
        } catch (IllegalStateException | IllegalArgumentException ex) {
            throw new BeanCreationException(beanName, ex.getMessage(), ex);
        }
        return bean;
    }
}
