package io.dynamicindex.indexer.bulk;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.http.HttpHost;

/**
 * The configured Elasticsearch hosts. A host written with user-info ({@code https://user:secret@host:9200}) is refused
 * at startup, by its position only: the client would take {@code user:secret@host} for the host name, and the host
 * list appears in startup logs, health and errors, where a password must never show.
 */
public final class ElasticsearchHosts {

    private static final String KEY = "dynamic-index.indexer.elasticsearch.hosts";
    /** An authority that holds an '@' before any path: user-info. */
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)?[^/@]*@");

    private ElasticsearchHosts() {
    }

    /** The hosts for the client; a host with user-info stops startup naming its key, never its value. */
    static HttpHost[] parse(List<String> hosts) {
        for (int i = 0; i < hosts.size(); i++) {
            if (USER_INFO.matcher(hosts.get(i)).find()) {
                throw new IllegalStateException(KEY + "[" + i + "] carries user-info (user:password@), which is "
                        + "refused and not shown; remove it and set dynamic-index.indexer.elasticsearch.username and "
                        + "dynamic-index.indexer.elasticsearch.password (or api-key) instead");
            }
        }
        return hosts.stream().map(HttpHost::create).toArray(HttpHost[]::new);
    }

    /** A host as it may be shown: any user-info replaced. */
    public static String shown(String host) {
        return USER_INFO.matcher(host).replaceFirst(matched -> (matched.group(1) == null ? "" : matched.group(1))
                + "(not shown)@");
    }
}
