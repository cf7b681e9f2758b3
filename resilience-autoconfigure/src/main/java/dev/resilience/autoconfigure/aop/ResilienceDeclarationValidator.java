package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
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
        // Each method's annotations are resolved once, here, and the pipeline is built from what was resolved.
        Map<Method, GuardedMethod> guarded = new LinkedHashMap<>();
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
            GuardedMethod resolved = GuardedMethod.resolve(method, type);
            if (resolved.hasPolicy()) {
                guarded.put(method, resolved);
            }
        }
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
