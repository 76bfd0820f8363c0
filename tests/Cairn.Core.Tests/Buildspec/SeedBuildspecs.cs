namespace Cairn.Core.Tests.Buildspec;

/// <summary>The user's buildspecs from the seed material, as written there, and as fixed by following the linter's hints.</summary>
internal static class SeedBuildspecs
{
    /// <summary>First buildspec of seed 000: variables under a top-level environment: key, resolved with {{resolve:ssm:...}}.</summary>
    public const string EnvironmentWithResolve = """
        version: 0.2
        phases:
          install:
            commands:
              - echo Installing dependencies
          build:
            commands:
              - echo Building Docker image
              - docker build -t $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/$APPLICATION_NAME .
              - docker push $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/$APPLICATION_NAME
        environment:
          variables:
            DOCKER_REGISTRY_URL: "{{resolve:ssm:/my_app_Docker_registry_URL}}"
            DOCKER_USERNAME: "{{resolve:ssm:/my_app_Docker_credentials_username}}"
            DOCKER_PASSWORD: "{{resolve:ssm:/my_app_Docker_credentials_password}}"
        """;

    public const string EnvironmentWithResolveFixed = """
        version: 0.2
        phases:
          install:
            commands:
              - echo Installing dependencies
          pre_build:
            commands:
              - echo "$DOCKER_PASSWORD" | docker login --username "$DOCKER_USERNAME" --password-stdin "$DOCKER_REGISTRY_URL"
          build:
            commands:
              - echo Building Docker image
              - docker build -t $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/$APPLICATION_NAME .
              - docker push $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/$APPLICATION_NAME
        env:
          variables:
            APPLICATION_NAME: sample-python-flask-app
          parameter-store:
            DOCKER_REGISTRY_URL: /my_app_Docker_registry_URL
            DOCKER_USERNAME: /my_app_Docker_credentials_username
            DOCKER_PASSWORD: /my_app_Docker_credentials_password
        """;

    /// <summary>Second buildspec of seed 000: the push moved to post_build, with no guard.</summary>
    public const string PostBuildPush = """
        version: 0.2
        phases:
          install:
            commands:
              - echo Building Docker image
              - docker build -t $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/sample-python-flask-app:latest .
          post_build:
            commands:
              - docker push $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/sample-python-flask-app:latest
        environment:
          variables:
            DOCKER_REGISTRY_URL: "{{resolve:ssm:my-app-docker-registry-url}}"
            DOCKER_USERNAME: "{{resolve:ssm:my-app-docker-credentials-username}}"
            DOCKER_PASSWORD: "{{resolve:ssm:my-app-docker-credentials-password}}"
        """;

    public const string PostBuildPushFixed = """
        version: 0.2
        phases:
          install:
            commands:
              - echo "$DOCKER_PASSWORD" | docker login --username "$DOCKER_USERNAME" --password-stdin "$DOCKER_REGISTRY_URL"
              - echo Building Docker image
              - docker build -t $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/sample-python-flask-app:latest .
          post_build:
            commands:
              - test "$CODEBUILD_BUILD_SUCCEEDING" = 1
              - docker push $DOCKER_REGISTRY_URL/$DOCKER_USERNAME/sample-python-flask-app:latest
        env:
          parameter-store:
            DOCKER_REGISTRY_URL: my-app-docker-registry-url
            DOCKER_USERNAME: my-app-docker-credentials-username
            DOCKER_PASSWORD: my-app-docker-credentials-password
        """;

    /// <summary>Seed 001: env.parameter-store (right), the build and push commands, and the path typo from the story.</summary>
    public const string ParameterStoreWithPathTypo = """
        version: 0.2

        env:
          parameter-store:
            DOCKER_REGISTRY_USERNAME: "my_app_Docker_credentials_username"
            DOCKER_REGISTRY_PASSWORD: "my_app_Docker_credentials_password"
            DOCKER_REGISTRY_URL: "my_app_Docker_registry_URL"

        phases:
          install:
            commands:
              - cd day14/sample_python_app
              - pip install -r requirements.txt
          build:
            commands:
              - docker build -t ${DOCKER_REGISTRY_URL}/${DOCKER_REGISTRY_USERNAME}/sample_python_flask_app:latest .
              - docker push ${DOCKER_REGISTRY_URL}/${DOCKER_REGISTRY_USERNAME}/sample_python_flask_app:latest
        """;

    public const string ParameterStoreWithPathTypoFixed = """
        version: 0.2

        env:
          parameter-store:
            DOCKER_REGISTRY_USERNAME: "my_app_Docker_credentials_username"
            DOCKER_REGISTRY_PASSWORD: "my_app_Docker_credentials_password"
            DOCKER_REGISTRY_URL: "my_app_Docker_registry_URL"

        phases:
          install:
            commands:
              - cd day14/simple_python_app
              - pip install -r requirements.txt
          pre_build:
            commands:
              - echo "$DOCKER_REGISTRY_PASSWORD" | docker login --username "$DOCKER_REGISTRY_USERNAME" --password-stdin "$DOCKER_REGISTRY_URL"
          build:
            commands:
              - docker build -t ${DOCKER_REGISTRY_URL}/${DOCKER_REGISTRY_USERNAME}/sample_python_flask_app:latest .
              - docker push ${DOCKER_REGISTRY_URL}/${DOCKER_REGISTRY_USERNAME}/sample_python_flask_app:latest
        """;
}
