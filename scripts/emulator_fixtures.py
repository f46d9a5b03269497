"""Sets up the emulator's sample resources that gradual itself never touches: a VPC with two
subnets and two running instances (the targets behind a sample load balancer), stopping an
instance (an unhealthy target), and the IAM role a sample Lambda function needs.

gradual's own calls go through the Rust SDK. These fixtures use boto3, which the emulator
(moto) already installs, so the build does not compile the EC2 and IAM SDK crates, by far the
largest, for a few set-up calls. Each command prints one JSON document.

Usage: python scripts/emulator_fixtures.py --endpoint URL network
       python scripts/emulator_fixtures.py --endpoint URL stop-instances ID [ID ...]
       python scripts/emulator_fixtures.py --endpoint URL role NAME
"""

import argparse
import json

import boto3

from emulator_admin import ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY

REGION = "us-east-1"
ZONES = ("us-east-1a", "us-east-1b")
# An image id the emulator knows.
IMAGE = "ami-12c6146b"
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def client(service, endpoint):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ADMIN_ACCESS_KEY_ID,
        aws_secret_access_key=ADMIN_SECRET_ACCESS_KEY,
    )


def network(endpoint):
    ec2 = client("ec2", endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{index}.0/24", AvailabilityZone=zone)[
            "Subnet"
        ]["SubnetId"]
        for index, zone in enumerate(ZONES, start=1)
    ]
    reservation = ec2.run_instances(
        ImageId=IMAGE, InstanceType="t3.micro", MinCount=2, MaxCount=2, SubnetId=subnets[0]
    )
    instances = [instance["InstanceId"] for instance in reservation["Instances"]]
    return {"vpc": vpc, "subnets": subnets, "instances": instances}


def stop_instances(endpoint, ids):
    client("ec2", endpoint).stop_instances(InstanceIds=ids)
    return {"stopped": ids}


def role(endpoint, name):
    created = client("iam", endpoint).create_role(
        RoleName=name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST)
    )
    return {"arn": created["Role"]["Arn"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("network")
    stop = commands.add_parser("stop-instances")
    stop.add_argument("ids", nargs="+")
    named = commands.add_parser("role")
    named.add_argument("name")
    args = parser.parse_args()
    if args.command == "network":
        result = network(args.endpoint)
    elif args.command == "stop-instances":
        result = stop_instances(args.endpoint, args.ids)
    else:
        result = role(args.endpoint, args.name)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
