package dev.resilience.deferred.autoconfigure;

import dev.resilience.autoconfigure.properties.ResilienceBinding;
import dev.resilience.deferred.DeferredCalls;
import dev.resilience.deferred.RetryLaterProperties;
import java.lang.reflect.Method;
import java.util.Collection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

/**
 * When Spring Cloud refreshes the environment (an {@code EnvironmentChangeEvent} naming
 * {@code resilience.retry-later.*} keys), binds and validates the section anew and hands it to the
 * {@link DeferredCalls} bean: instance and config settings and {@code health-window} apply to the next store, replay
 * and reading. A bad value is logged and changes nothing. Spring Cloud is not a dependency: the event is recognised
 * by name, as the starter's own refresher does.
 */
final class RetryLaterRefresher implements ApplicationListener<ApplicationEvent> {

    private static final String EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

    private static final Log logger = LogFactory.getLog(RetryLaterRefresher.class);

    private final Environment environment;
    private final ObjectProvider<DeferredCalls> calls;

    RetryLaterRefresher(Environment environment, ObjectProvider<DeferredCalls> calls) {
        this.environment = environment;
        this.calls = calls;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (!event.getClass().getName().equals(EVENT) || !namesRetryLaterKeys(event)) {
            return;
        }
        DeferredCalls current = calls.getIfAvailable();
        if (current == null) {
            return;
        }
        try {
            current.reconfigure(ResilienceBinding.bindSection(Binder.get(environment), "retry-later",
                    RetryLaterProperties.class));
        } catch (RuntimeException ex) {
            logger.warn("Refresh of " + RetryLaterProperties.PREFIX + ".* refused, nothing changed: "
                    + ex.getMessage());
        }
    }

    private static boolean namesRetryLaterKeys(ApplicationEvent event) {
        Method getKeys = ReflectionUtils.findMethod(event.getClass(), "getKeys");
        Object keys = getKeys == null ? null : ReflectionUtils.invokeMethod(getKeys, event);
        return keys instanceof Collection<?> names && names.stream()
                .anyMatch(key -> String.valueOf(key).startsWith(RetryLaterProperties.PREFIX + "."));
    }
}
