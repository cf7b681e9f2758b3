package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The one interceptor behind every policy annotation. It finds the method's prebuilt pipeline with one
 * identity-keyed lookup and runs it; no annotation, name or reflection lookup happens per call.
 */
public final class ResilienceInterceptor implements MethodInterceptor {

    private final Supplier<PipelineFactory> factory;
    private volatile PipelineFactory resolvedFactory;
    // Invariant: a slot chain holds one pipeline per target class that invoked this Method object.
    private final Map<Method, Slot> slots = new ConcurrentHashMap<>();

    /** @param factory supplies the pipeline factory at first use, so the advisor can be created early */
    public ResilienceInterceptor(Supplier<PipelineFactory> factory) {
        this.factory = factory;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? target.getClass() : method.getDeclaringClass();
        for (Slot slot = slots.get(method); slot != null; slot = slot.next) {
            if (slot.targetClass == targetClass) {
                return slot.pipeline.invoke(invocation);
            }
        }
        return register(method, targetClass).invoke(invocation);
    }

    private Pipeline register(Method method, Class<?> targetClass) {
        Pipeline pipeline = factory().pipelineFor(method, targetClass);
        slots.compute(method, (key, head) -> {
            for (Slot slot = head; slot != null; slot = slot.next) {
                if (slot.targetClass == targetClass) {
                    return head;
                }
            }
            return new Slot(targetClass, pipeline, head);
        });
        return pipeline;
    }

    private PipelineFactory factory() {
        PipelineFactory resolved = resolvedFactory;
        if (resolved == null) {
            resolved = factory.get();
            resolvedFactory = resolved;
        }
        return resolved;
    }

    private record Slot(Class<?> targetClass, Pipeline pipeline, Slot next) {
    }
}
