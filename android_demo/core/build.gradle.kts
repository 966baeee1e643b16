// Pure Kotlin, no Android: the same sources run in the app and in JVM unit tests
// (`./gradlew :core:test` here, or `bash core/run_jvm_tests.sh` without Gradle).
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    testImplementation(libs.kotlin.test.junit)
    testImplementation(libs.junit)
}
