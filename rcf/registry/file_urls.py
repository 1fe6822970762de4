"""Public files, at fixed addresses without language prefix (they are printed and embedded)."""

from django.urls import path

from rcf.registry import files

app_name = "registry_files"
urlpatterns = [
    path("badge/<str:number>.svg", files.badge, name="badge"),
    path("credentials/v1", files.context, name="context"),
    path("credentials/<str:number>.jwt", files.credential, name="credential"),
    path(".well-known/jwks.json", files.jwks, name="jwks"),
    path("status/<str:list_id>.jwt", files.status_list, name="status_list"),
    path("opendata/certificats.csv", files.opendata_csv, name="opendata_csv"),
    path("opendata/certificats.json", files.opendata_json, name="opendata_json"),
    path("opendata/schema.json", files.opendata_schema, name="opendata_schema"),
    path("opendata/contacts.csv", files.contacts_csv, name="contacts_csv"),
    path("opendata/contacts.json", files.contacts_json, name="contacts_json"),
    path("opendata/contacts-schema.json", files.contacts_schema, name="contacts_schema"),
]
