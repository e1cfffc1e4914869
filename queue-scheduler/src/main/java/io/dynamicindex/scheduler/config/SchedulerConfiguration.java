package io.dynamicindex.scheduler.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Resolves the routes once at startup and logs them, and names this instance. */
@Configuration(proxyBeanMethods = false)
public class SchedulerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerConfiguration.class);

    @Bean
    SchedulerPlan schedulerPlan(SchedulerProperties properties, LegacyDeliveryProperties legacy) {
        SchedulerPlan plan = SchedulerPlan.resolve(properties, legacy);
        LOG.info("queue-scheduler: {} route(s): {}", plan.routes().size(), plan.routes());
        return plan;
    }

    @Bean
    SchedulerInstance schedulerInstance() {
        SchedulerInstance instance = SchedulerInstance.current();
        LOG.info("queue-scheduler: instance id {}", instance.id());
        return instance;
    }
}
