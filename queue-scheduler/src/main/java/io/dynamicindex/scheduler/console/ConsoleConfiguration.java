package io.dynamicindex.scheduler.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.dynamicindex.scheduler.config.SchedulerPlan;

/** The console's beans, and {@code /console/} as the address of its page. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    @Bean(destroyMethod = "close")
    QueueInspector queueInspector(ConsoleProperties console, SchedulerPlan plan) {
        return new QueueInspector(console, plan);
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }
}
