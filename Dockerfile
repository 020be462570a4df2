# Tally: build the runnable jar with Maven, run it on a full JDK.

# ---- build -------------------------------------------------------------------------------------------
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY model ./model
COPY storage ./storage
COPY promql ./promql
COPY rules ./rules
COPY forward ./forward
COPY server ./server
# the built-in page ships the Claude Code dashboard's queries (server/pom.xml copies the file into the jar)
COPY grafana/dashboards ./grafana/dashboards
COPY bench ./bench
# -pl server -am: only the server jar and what it needs (the JMH bench jar is not part of the image)
RUN mvn -q -B -DskipTests -pl server -am package

# ---- run ---------------------------------------------------------------------------------------------
# A full JDK, not a JRE: Chronicle Map compiles classes at run time (jdk.compiler), and fails without it.
FROM eclipse-temurin:17.0.13_11-jdk
RUN groupadd --system --gid 10001 tally \
 && useradd --system --uid 10001 --gid tally --home-dir /opt/tally --no-create-home --shell /usr/sbin/nologin tally \
 && mkdir -p /opt/tally /data \
 && chown tally:tally /data
COPY --from=build /src/server/target/tally.jar /opt/tally/tally.jar
# Chronicle Map otherwise tries to send usage analytics and write files into $HOME
ENV JAVA_TOOL_OPTIONS="-Dchronicle.analytics.disable=true"
USER tally
WORKDIR /opt/tally
VOLUME ["/data"]
EXPOSE 9090 4318 4317
# the image has no curl or wget; bash's /dev/tcp is enough to ask /-/ready for its status line
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=6 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9090 && printf 'GET /-/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# the memory defaults of ./tally (docs/configuration.md, "Memory"); TALLY_JAVA_OPTS come later and win
ENV TALLY_JAVA_OPTS=""
ENTRYPOINT ["sh", "-c", "exec java -Xmx1g -Xms16m -XX:+UseSerialGC -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:MaxNewSize=64m -XX:SurvivorRatio=3 -XX:MaxDirectMemorySize=256m -XX:+ExitOnOutOfMemoryError $TALLY_JAVA_OPTS -jar /opt/tally/tally.jar \"$@\"", "tally"]
CMD ["--storage.path=/data", "--web.listen-address=0.0.0.0:9090", "--otlp.listen-address=0.0.0.0:4318", "--otlp.grpc-listen-address=0.0.0.0:4317"]
