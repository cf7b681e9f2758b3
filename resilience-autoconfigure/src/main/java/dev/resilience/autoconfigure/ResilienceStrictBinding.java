package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.ResilienceBinding;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Stops startup on an unknown key or a value Boot's lenient binding would accept (a fraction for a whole number)
 * under {@code resilience.*}. Boot's binding of the properties bean ignores unknown keys and truncates fractions;
 * this check does not. It is a bean of its own, run before any bean is created,
 * so it holds whichever {@link ResilienceConfigurations} bean the application ends up with.
 */
final class ResilienceStrictBinding implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        ResilienceBinding.bind(Binder.get(environment));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
