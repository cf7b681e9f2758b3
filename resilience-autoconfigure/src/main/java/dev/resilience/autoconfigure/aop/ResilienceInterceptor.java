package dev.resilience.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The one interceptor behind every policy annotation. It finds the method's prebuilt pipeline with one
 * identity-keyed lookup in the {@link PipelineFactory} and runs it; no annotation, name or reflection lookup
 * happens per call.
 */
public final class ResilienceInterceptor implements MethodInterceptor {

    private final Supplier<PipelineFactory> factory;
    private volatile PipelineFactory resolvedFactory;

    /** @param factory supplies the pipeline factory at first use, so the advisor can be created early */
    public ResilienceInterceptor(Supplier<PipelineFactory> factory) {
        this.factory = factory;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        PipelineFactory pipelines = resolvedFactory;
        if (pipelines == null) {
            pipelines = resolveFactory();
        }
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        return pipelines.pipelineFor(method, target != null ? target.getClass() : method.getDeclaringClass())
                .invoke(invocation);
    }

    private PipelineFactory resolveFactory() {
        PipelineFactory resolved = factory.get();
        resolvedFactory = resolved;
        return resolved;
    }
}
