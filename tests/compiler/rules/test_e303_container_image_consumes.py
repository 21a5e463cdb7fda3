from tests.compiler.rules.graph_support import Checked
from tests.helpers import compile_ok

CONFIG = """
build settings : cdk {
  repo = "acme/settings"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { level: string }
  }
}
"""


def test_a_container_image_enver_that_consumes_is_reported() -> None:
    c = Checked(CONFIG + """
        build img : container_image {
          repo = "acme/img"
          enver main = branch "main" in workspace1 "us-east-1" {
            image app = "app:1"
            consumes { level = settings.main.level }
          }
        }
    """)
    assert c.codes == ["E303"]
    d = c.one("E303")
    assert d.message == "`container_image` enver `img.main` consumes `level`"
    assert c.text(d) == "level = settings.main.level"


def test_a_type_of_kind_container_image_counts_and_its_slots_are_reported_on_the_type() -> None:
    c = Checked(CONFIG + """
        enver_type base_image : container_image {}
        enver_type app_image : base_image { consumes { level: string } }
        build img : app_image {
          repo = "acme/img"
          enver main = branch "main" in workspace1 "us-east-1" {
            image app = "app:1"
            consumes { level = settings.main.level }
          }
          enver dev = branch "dev" in workspace1 "us-east-1" {
            image app = "app:2"
            consumes { level = settings.main.level }
          }
        }
    """)
    d = c.one("E303")
    assert c.codes == ["E303"]
    assert d.message == ("enver type `app_image` declares consumer slot `level`, but "
                         "`container_image` envers may not consume")


def test_no_cross_region_or_cycle_reports_for_its_consumers() -> None:
    c = Checked(CONFIG + """
        build img : container_image {
          repo = "acme/img"
          enver main = branch "main" in workspace1 "us-east-1" {
            image app = "app:1"
            consumes { level = settings.main.level }
          }
        }
        build deploy : cdk {
          repo = "acme/deploy"
          enver main = branch "main" in workspace1 "us-east-1" {
            produces { url: url }
            consumes { sha = img.main.app.latestSha }
          }
        }
    """.replace("consumes { level = settings.main.level }",
                "consumes { level = settings.main.level  url = deploy.main.url }"))
    assert c.codes == ["E303"]


def test_the_enver_running_the_image_consumes_it_and_its_configuration() -> None:
    compile_ok(CONFIG + """
        build img : container_image {
          repo = "acme/img"
          enver main = branch "main" in workspace1 "us-east-1" { image app = "app:1" }
        }
        build deploy : cdk {
          repo = "acme/deploy"
          enver main = branch "main" in workspace1 "us-east-1" {
            consumes { sha = img.main.app.latestSha  level = settings.main.level }
          }
        }
    """)
