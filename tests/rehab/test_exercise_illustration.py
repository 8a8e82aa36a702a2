"""GET /api/v1/exercises/{slug}/illustration.svg: the exercise's figure, cached by ETag."""

import xml.etree.ElementTree as ET

import pytest

from tests.conftest import client_for

URL = "/api/v1/exercises/{}/illustration.svg"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def client(world):
    return client_for(world.patient_user)


def test_it_serves_the_figure_as_svg_with_the_movement_in_words(client):
    response = client.get(URL.format("sit-to-stand"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Sit to stand from a chair"
    assert "stand up" in root.find(f"{SVG}desc").text
    assert "prefers-reduced-motion" in root.find(f"{SVG}style").text
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_library_figure_is_cached_and_revalidated_by_etag(client):
    first = client.get(URL.format("heel-raises"))
    etag = first["ETag"]
    assert etag.startswith('"')
    assert first["Cache-Control"] == "private, max-age=86400"
    again = client.get(URL.format("heel-raises"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = client.get(URL.format("heel-raises"), HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    assert other.content == first.content


def test_protected_regions_are_marked_and_carry_no_weight(client):
    plain = client.get(URL.format("dumbbell-biceps-curl"))
    marked = client.get(URL.format("dumbbell-biceps-curl") + "?protect=wrist_hand_right")
    assert marked.status_code == 200
    assert marked["ETag"] != plain["ETag"]
    assert "no-store" in marked["Cache-Control"]  # a patient's regions are health data
    root = ET.fromstring(marked.content)
    regions_with_load = {el.get("data-region") for el in root.iter() if el.get("class") == "load"}
    assert "wrist_hand_right" not in regions_with_load
    assert "wrist_hand_left" in regions_with_load  # the other hand still holds its weight
    assert any(el.get("class") == "protected" and el.get("data-region") == "wrist_hand_right" for el in root.iter())


def test_an_unknown_region_is_a_400_naming_the_field(client):
    response = client.get(URL.format("heel-raises") + "?protect=elbow_left,tail")
    assert response.status_code == 400
    assert "protect" in response.json()


def test_an_unknown_or_retired_exercise_is_a_404(client, world):
    assert client.get(URL.format("no-such-exercise")).status_code == 404
    from rehab.models import Exercise

    Exercise.objects.filter(slug="heel-raises").update(is_active=False)
    assert client.get(URL.format("heel-raises")).status_code == 404


def test_it_needs_a_signed_in_user(api, world):
    assert api.get(URL.format("heel-raises")).status_code == 401
