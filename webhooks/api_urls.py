from django.urls import path

from webhooks import apis

urlpatterns = [
    path("webhooks/endpoints/", apis.EndpointListCreateApi.as_view(), name="api-webhook-endpoints"),
    path("webhooks/endpoints/<int:pk>", apis.EndpointDetailApi.as_view(), name="api-webhook-endpoint"),
    path("webhooks/endpoints/<int:pk>/rotate-secret", apis.EndpointRotateSecretApi.as_view(), name="api-webhook-rotate"),
    path("webhooks/deliveries/", apis.DeliveryListApi.as_view(), name="api-webhook-deliveries"),
    path("webhooks/deliveries/<int:pk>/retry", apis.DeliveryRetryApi.as_view(), name="api-webhook-delivery-retry"),
]
